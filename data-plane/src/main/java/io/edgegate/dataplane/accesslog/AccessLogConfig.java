package io.edgegate.dataplane.accesslog;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where and how a node writes its access log: a file rotated by size (keeping {@code keep} old
 * ones), standard output (no file), or nothing (off); the format, the queue's capacity and the
 * share of successful requests logged.
 */
public record AccessLogConfig(boolean enabled, Optional<Path> file, AccessLogFormat format, long maxBytes, int keep, int capacity,
                              double sample) {

    public static final int DEFAULT_CAPACITY = 65_536;

    public static AccessLogConfig off() {
        return new AccessLogConfig(false, Optional.empty(), AccessLogFormat.JSON, 0, 0, 0, 0);
    }

    /** {@code "off"}, {@code "-"} (standard output) or a file. */
    public static AccessLogConfig parse(String target, AccessLogFormat format, long maxBytes, int keep, double sample) {
        if (sample <= 0 || sample > 1) {
            throw new IllegalArgumentException("--access-log-sample must be in (0, 1], not " + sample);
        }
        return switch (target) {
            case "off" -> off();
            case "-" -> new AccessLogConfig(true, Optional.empty(), format, maxBytes, keep, DEFAULT_CAPACITY, sample);
            default -> new AccessLogConfig(true, Optional.of(Path.of(target)), format, maxBytes, keep, DEFAULT_CAPACITY, sample);
        };
    }

    public AccessLog start(String node) {
        if (!enabled) {
            return AccessLog.off();
        }
        AccessLogOutput output = file.map(f -> AccessLogOutput.file(f, maxBytes, keep)).orElseGet(AccessLogOutput::stdout);
        return AccessLog.start(node, format, output, capacity, sample);
    }
}
