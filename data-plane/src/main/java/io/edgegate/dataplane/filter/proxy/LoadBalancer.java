package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.RequestContext;

/** Picks the server of a non-empty pool for one request. Implementations are safe for all event loops at once. */
interface LoadBalancer {

    Upstream pick(RequestContext context);
}
