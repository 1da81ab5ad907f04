package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterResults;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.concurrent.CompletionStage;

/**
 * A pool's response cache (memoryCache): a fresh entry answers at once (HIT); otherwise the
 * request goes upstream, with validators when a stale entry has them, and the answer is stored
 * as it streams (MISS), or a 304 makes the stale entry fresh again (REVALIDATED).
 */
final class CachingCall implements ProxyCall {

    private final ResponseCache cache;
    private final ProxyCall next;

    CachingCall(ResponseCache cache, ProxyCall next) {
        this.cache = cache;
        this.next = next;
    }

    @Override
    public CompletionStage<String> call(ProxyExchange exchange) {
        RequestContext context = exchange.context();
        ResponseCache.Lookup lookup = cache.lookup(context.request(), context.connection().scheme());
        if (lookup == null) {
            return next.call(exchange);
        }
        if (lookup.fresh() != null) {
            exchange.answeredByCache(lookup.fresh().toResponse(System.nanoTime(), "HIT"));
            return FilterResults.success();
        }
        exchange.consulted(lookup);
        return next.call(exchange).thenApply(result -> afterUpstream(exchange, lookup, result));
    }

    private String afterUpstream(ProxyExchange exchange, ResponseCache.Lookup lookup, String result) {
        Response answer = exchange.upstreamAnswer();
        if (answer == null) {
            return result;
        }
        RequestContext context = exchange.context();
        HttpHeaders asked = context.request().headers();
        // A 304 to the client's own conditional request is the client's; one to our validators refreshes the entry.
        if (lookup.stale() != null && answer.head().status().code() == 304
                && !asked.contains(HttpHeaderNames.IF_NONE_MATCH) && !asked.contains(HttpHeaderNames.IF_MODIFIED_SINCE)) {
            exchange.answerFromCache(cache.revalidated(lookup, answer.head()).toResponse(System.nanoTime(), "REVALIDATED"));
            return Filter.SUCCESS;
        }
        exchange.revise(cache.storeWhileStreaming(context.request(), context.connection().scheme(), answer, context.alloc()));
        return result;
    }
}
