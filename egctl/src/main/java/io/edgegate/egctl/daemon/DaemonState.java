package io.edgegate.egctl.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a user's egctl daemon says how to reach it: {@code $XDG_RUNTIME_DIR/edgegate/egctl-daemon},
 * else {@code ~/.cache/edgegate/egctl-daemon} (bin/egctl reads the same file), holding
 * "port cookie version pid".
 */
public record DaemonState(Path file) {

    public static DaemonState of(Map<String, String> env) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        Path base = runtime != null && !runtime.isEmpty() ? Path.of(runtime)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache");
        return new DaemonState(base.resolve("edgegate").resolve("egctl-daemon"));
    }

    /** The daemon process the file names, if it still runs. */
    public Optional<ProcessHandle> running() {
        try {
            String[] fields = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
            // A pid of a daemon long gone may name another process now: only one running the daemon counts.
            return fields.length == 4 ? ProcessHandle.of(Long.parseLong(fields[3])).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(EgctlDaemon.class.getName())).orElse(false))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public void forget() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Nothing to forget then.
        }
    }

    /** Removed once the daemon listens: while it is there (and fresh), launchers do not start another. */
    Path startingMark() {
        return file.resolveSibling(file.getFileName() + ".starting");
    }
}
