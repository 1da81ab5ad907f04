package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Fails an attempt with {@link ResponseTimeout} when its answer is not there by its deadline (the pool's timeout, the request's limit). */
final class DeadlineCall implements UpstreamCall {

    private final UpstreamCall next;

    DeadlineCall(UpstreamCall next) {
        this.next = next;
    }

    @Override
    public CompletableFuture<UpstreamResponse> send(ProxyExchange exchange, Upstream server, BodyStream body) {
        long deadline = exchange.attemptDeadlineNanos();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            body.discard();
            return CompletableFuture.failedFuture(new ResponseTimeout());
        }
        CompletableFuture<UpstreamResponse> sent = next.send(exchange, server, body);
        if (deadline != Long.MAX_VALUE) {
            // Failing the exchange before its answer closes the upstream connection: the server stops working for nobody.
            var timer = exchange.context().eventLoop().schedule(() -> sent.completeExceptionally(new ResponseTimeout()),
                    left, TimeUnit.NANOSECONDS);
            sent.whenComplete((r, e) -> timer.cancel(false));
        }
        return sent;
    }
}
