package io.edgegate.dataplane.pipeline;

import java.util.concurrent.CompletionStage;

/**
 * A step of a pipeline. {@link #handle} runs on the client connection's event loop and must
 * not block; it completes with a result: {@link #SUCCESS}, or one of the results its kind
 * declares, which the flow's {@code jumpIf} can act on.
 */
public interface Filter extends AutoCloseable {

    String SUCCESS = "";

    CompletionStage<String> handle(RequestContext context);

    /**
     * Lines describing the filter's live state on this node (circuit states, counters, server
     * health), for {@code egctl describe}; none by default. Called off the event loops.
     */
    default java.util.List<String> status() {
        return java.util.List.of();
    }

    /** Releases what the filter holds. Requests still in flight may finish using it. */
    @Override
    default void close() {
    }
}
