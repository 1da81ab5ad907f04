package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import java.util.concurrent.CompletableFuture;

/** Sends a copy of each request that has a server to the mirror pool, then the request itself. */
final class MirroringCall implements UpstreamCall {

    private final Mirror mirror;
    private final UpstreamCall next;

    MirroringCall(Mirror mirror, UpstreamCall next) {
        this.mirror = mirror;
        this.next = next;
    }

    @Override
    public CompletableFuture<UpstreamResponse> send(ProxyExchange exchange, Upstream server, BodyStream body) {
        RequestContext context = exchange.context();
        BodyStream copied = mirror.mirror(context, body);
        context.replaceRequestBody(copied);
        return next.send(exchange, server, copied);
    }
}
