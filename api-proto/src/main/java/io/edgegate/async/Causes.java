package io.edgegate.async;

import java.util.concurrent.CompletionException;

/** What failed, under the wrapper a {@code CompletableFuture} stage puts around it. */
public final class Causes {

    private Causes() {
    }

    /** {@code error} without its {@link CompletionException} wrapper, if it has one. */
    public static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** The innermost cause: what actually went wrong under every wrapper (e.g. the TLS refusal under a gRPC status). */
    public static Throwable root(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** Every cause, outermost first, one per line: text to search for the kind of a failure. */
    public static String chain(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }
}
