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
}
