package io.edgegate.egctl;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/** Where a command reads and writes, and its environment; injected so tests can run egctl in-process. */
public record Terminal(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env) {

    public Terminal {
        env = Map.copyOf(env);
    }

    public static Terminal system() {
        return new Terminal(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.in, System.getenv());
    }
}
