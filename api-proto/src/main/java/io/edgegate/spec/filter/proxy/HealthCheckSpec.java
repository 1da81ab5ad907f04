package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.server.Regexps;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Active health checks of a pool's servers: every {@code interval} each server is probed —
 * {@code GET uri} when a uri is given, else a TCP connect — and must answer within
 * {@code timeout}. {@code fails} failed probes in a row take a server out of the rotation,
 * {@code passes} good ones in a row bring it back. An HTTP probe passes when its status is in
 * one of {@code match.statusCodes} (ranges, default 200–399) and, if given, its body matches
 * {@code match.body}.
 */
public record HealthCheckSpec(Duration interval, Duration timeout, int fails, int passes, Optional<String> uri,
                              List<StatusRange> statusCodes, Optional<BodyMatch> body) {

    public record StatusRange(int from, int to) {
        boolean contains(int status) {
            return status >= from && status <= to;
        }
    }

    /** {@code value} contained in the body, or a regexp found in it. */
    public record BodyMatch(String value, boolean regexp) {
    }

    public HealthCheckSpec {
        statusCodes = List.copyOf(statusCodes);
    }

    public boolean statusPasses(int status) {
        return statusCodes.stream().anyMatch(r -> r.contains(status));
    }

    static HealthCheckSpec decode(SpecObject o) {
        Duration interval = o.duration("interval", Duration.ofSeconds(5));
        Duration timeout = o.duration("timeout", Duration.ofSeconds(3));
        int fails = o.integer("fails", 1, 1, 100);
        int passes = o.integer("passes", 1, 1, 100);
        Optional<String> uri = o.optionalString("uri").or(() -> o.optionalString("path")).filter(u -> !u.isEmpty());
        uri.ifPresent(u -> {
            if (!u.startsWith("/")) {
                o.error("uri", "'" + u + "' must be a path starting with /");
            }
        });
        List<StatusRange> codes = List.of(new StatusRange(200, 399));
        Optional<BodyMatch> body = Optional.empty();
        SpecObject match = o.object("match").orElse(null);
        if (match != null) {
            List<StatusRange> given = match.list("statusCodes", n -> {
                List<Integer> pair = n.asList(p -> p.asInt(100, 599));
                if (pair.size() != 2 || pair.get(0) > pair.get(1)) {
                    n.error("expected a range [from, to], e.g. [200, 299]");
                    return new StatusRange(200, 399);
                }
                return new StatusRange(pair.get(0), pair.get(1));
            });
            codes = given.isEmpty() ? codes : given;
            body = match.object("body").map(b -> {
                String value = b.requiredString("value");
                String type = b.string("type", "contains").toLowerCase(Locale.ROOT);
                if (!type.equals("contains") && !type.equals("regexp")) {
                    b.error("type", "'" + type + "' is not a body match (expected contains or regexp)");
                }
                if (type.equals("regexp")) {
                    Regexps.check(value, b, "value");
                }
                b.finish();
                return new BodyMatch(value, type.equals("regexp"));
            });
            match.finish();
            if (uri.isEmpty()) {
                o.error("match", "needs a uri: a TCP check has no status or body");
            }
        }
        if (interval.compareTo(Duration.ofMillis(100)) < 0) {
            o.error("interval", "must be at least 100ms");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            o.error("timeout", "must be positive");
        }
        o.finish();
        return new HealthCheckSpec(interval, timeout, fails, passes, uri, codes, body);
    }
}
