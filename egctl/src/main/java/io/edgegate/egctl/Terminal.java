package io.edgegate.egctl;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a command reads and writes, its environment and the directory relative paths start from;
 * injected so tests and egctl's daemon can run egctl in-process.
 */
public record Terminal(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env, Path cwd) {

    public Terminal {
        env = Map.copyOf(env);
        cwd = cwd.toAbsolutePath();
    }

    /** In this process's working directory. */
    public Terminal(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env) {
        this(out, err, in, env, Path.of(""));
    }

    public static Terminal system() {
        return new Terminal(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.in, System.getenv());
    }

    /** A path as the user wrote it, from the directory the command was started in. */
    public Path resolve(String path) {
        return cwd.resolve(path);
    }
}
