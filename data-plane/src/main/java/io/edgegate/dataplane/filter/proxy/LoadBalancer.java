package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.RequestContext;

/** Picks the server of a non-empty pool for one request. Implementations are safe for all event loops at once. */
interface LoadBalancer {

    Upstream pick(RequestContext context);

    /**
     * What a hash policy picks the server by for this request (the client's address, a header, a cookie), or
     * null for policies that pick otherwise. When the server it picked is out of the rotation, the same key
     * picks among the servers that are in, so those clients spread evenly and each stays put.
     */
    default String affinityKey(RequestContext context) {
        return null;
    }

    /** A request went to {@code server} (picked here or bound to it by a sticky session). */
    default void started(Upstream server) {
    }

    /** The request {@link #started} on {@code server} has its answer, or failed. */
    default void finished(Upstream server) {
    }
}
