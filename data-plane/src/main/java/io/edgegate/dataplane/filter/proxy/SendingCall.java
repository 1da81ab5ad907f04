package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.tracing.UpstreamSpan;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.CompletableFuture;

/** Sends the request once, over the node's upstream connection pools; a client that goes away cancels it. */
final class SendingCall implements UpstreamCall {

    private final UpstreamClient client;
    /** Idle connections kept per server and event loop when an exchange gives its connection back. */
    private final int maxIdlePerServer;

    SendingCall(UpstreamClient client, int maxIdlePerServer) {
        this.client = client;
        this.maxIdlePerServer = maxIdlePerServer;
    }

    @Override
    public CompletableFuture<UpstreamResponse> send(ProxyExchange exchange, Upstream server, BodyStream body) {
        HttpRequest forwarded = ForwardedRequest.build(exchange.context(), server);
        ResponseCache.addValidators(exchange.cacheLookup(), forwarded.headers());
        return send(exchange, server, forwarded, body);
    }

    /** Sends {@code forwarded} as it is (a redirect's follow-up, made from the first request). */
    CompletableFuture<UpstreamResponse> send(ProxyExchange exchange, Upstream server, HttpRequest forwarded, BodyStream body) {
        RequestContext context = exchange.context();
        UpstreamSpan span = context.trace().startUpstream(forwarded, exchange.pool().spanName(), server.address().host(),
                server.address().port(), server.url(), false);
        CompletableFuture<UpstreamResponse> sent = client.send(context.eventLoop(), server.address(), forwarded, body, maxIdlePerServer,
                exchange.timed());
        span.follow(sent);
        context.onAbort(() -> {
            if (!sent.cancel(false)) {
                sent.thenAccept(r -> {
                    r.body().discard();
                    if (r.upgraded() != null) {
                        r.upgraded().close();
                    }
                });
            }
        });
        return sent;
    }
}
