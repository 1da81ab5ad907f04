package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.Response;
import java.util.concurrent.CompletionStage;

/** The Proxy's compression: the upstream's (or the cache's) answer is compressed on its way to a client that accepts it. */
final class CompressingCall implements ProxyCall {

    private final ResponseCompression compression;
    private final ProxyCall next;

    CompressingCall(ResponseCompression compression, ProxyCall next) {
        this.compression = compression;
        this.next = next;
    }

    @Override
    public CompletionStage<String> call(ProxyExchange exchange) {
        return next.call(exchange).thenApply(result -> {
            Response answer = exchange.upstreamAnswer();
            if (answer != null && answer.tunnel() == null) {
                exchange.revise(new Response(answer.head(),
                        compression.apply(exchange.context().request(), answer.head(), answer.body())));
                return result;
            }
            // The cache holds answers as the upstream sent them: one served from it is compressed like a fresh one.
            Response cached = exchange.cachedAnswer();
            if (cached != null) {
                exchange.reviseCached(new Response(cached.head(),
                        compression.apply(exchange.context().request(), cached.head(), cached.body())));
            }
            return result;
        });
    }
}
