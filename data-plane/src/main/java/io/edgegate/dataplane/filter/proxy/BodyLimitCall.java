package io.edgegate.dataplane.filter.proxy;

import io.edgegate.async.Causes;
import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyTooLargeException;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.http.PlainResponses;
import io.edgegate.dataplane.pipeline.FilterResults;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A pool's positive {@code serverMaxBodySize}, as Easegress applies it: an answer whose
 * Content-Length is larger is refused with 500 ({@code internalError}) before any of it is sent;
 * one without a length is read whole first and refused the same way past the limit (so it reaches
 * the client with a Content-Length, not streamed; trailers, rare outside gRPC, whose pools take
 * no limit, are not kept). Only pools with a limit pay for this.
 */
final class BodyLimitCall implements ProxyCall {

    private final long limit;
    private final ProxyCall next;
    private final FilterResults results;

    BodyLimitCall(long limit, ProxyCall next, FilterResults results) {
        this.limit = limit;
        this.next = next;
        this.results = results;
    }

    @Override
    public CompletionStage<String> call(ProxyExchange exchange) {
        return next.call(exchange).thenCompose(result -> limited(exchange, result));
    }

    private CompletionStage<String> limited(ProxyExchange exchange, String result) {
        Response answer = exchange.upstreamAnswer();
        if (answer == null || answer.tunnel() != null || bodiless(exchange.context(), answer.head())) {
            return CompletableFuture.completedFuture(result);
        }
        long length = HttpUtil.getContentLength(answer.head(), -1L);
        if (length > limit) {
            answer.body().discard();
            return tooLarge(exchange.context());
        }
        if (length >= 0) {
            return CompletableFuture.completedFuture(result);
        }
        return BodyCollector.collect(answer.body(), exchange.context().alloc(), limit).<CompletionStage<String>>thenApply(whole -> {
            HttpResponse head = answer.head();
            head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            HttpUtil.setContentLength(head, whole.readableBytes());
            exchange.revise(new Response(head, new FixedBody(whole)));
            return CompletableFuture.completedFuture(result);
        }).exceptionally(error -> {
            Throwable cause = Causes.unwrap(error);
            if (cause instanceof BodyTooLargeException) {
                return tooLarge(exchange.context());
            }
            // The server broke its answer off while it was read: 500 internalError, as Easegress answers any failed read.
            exchange.context().put(RequestKeys.UPSTREAM_FAILED, true);
            replace(exchange.context(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "the upstream's answer could not be read whole");
            return results.of(ProxySpec.RESULT_INTERNAL_ERROR);
        }).thenCompose(stage -> stage);
    }

    private CompletionStage<String> tooLarge(RequestContext context) {
        replace(context, HttpResponseStatus.INTERNAL_SERVER_ERROR, "the upstream's answer is larger than serverMaxBodySize (" + limit + " bytes)");
        return results.of(ProxySpec.RESULT_INTERNAL_ERROR);
    }

    /** The Proxy's own answer in place of the upstream's, whose body is already dropped. */
    private static void replace(RequestContext context, HttpResponseStatus status, String message) {
        FullHttpResponse full = PlainResponses.of(context.alloc(), status, message);
        context.reviseResponse(new Response(new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers()),
                new FixedBody(full.content())));
    }

    private static boolean bodiless(RequestContext context, HttpResponse head) {
        int status = head.status().code();
        return context.request().method().equals(HttpMethod.HEAD) || status < 200 || status == 204 || status == 304;
    }
}
