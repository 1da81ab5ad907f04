package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.RequestContext;

/** Picks the server of a non-empty pool for one request. Implementations are safe for all event loops at once. */
interface LoadBalancer {

    Upstream pick(RequestContext context);

    /** A request went to {@code server} (picked here or bound to it by a sticky session). */
    default void started(Upstream server) {
    }

    /** The request {@link #started} on {@code server} has its answer, or failed. */
    default void finished(Upstream server) {
    }
}
