package io.edgegate.dataplane.filter.proxy;

import io.edgegate.async.Causes;
import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.BodyTooLargeException;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.http.IdempotentMethods;
import io.edgegate.dataplane.metrics.UpstreamMeters;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.ResponseFlag;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.pipeline.RetryPlan;
import io.edgegate.dataplane.upstream.UpstreamException;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Attempts until one succeeds, the request's retry plan or its budget allows no more, the
 * deadline is near, or sending again is not safe: a request is sent again only when its body is
 * held (up to {@link #REPLAY_LIMIT}) or it has none, and only when its method is idempotent or it
 * never reached the server. Each retry may go to another server. A plan of one attempt sends once, holding nothing.
 */
final class RetryingCall implements UpstreamCall {

    /** Request bodies up to this size are held in memory when a retry plan may need to send them again. */
    static final int REPLAY_LIMIT = 64 * 1024;

    private final Function<RequestContext, RetryPlan> plans;
    private final UpstreamCall next;
    /** Where each attempt that is retried is counted (the last one is counted with the Proxy's answer). */
    private final UpstreamMeters meters;

    /** {@code plans} gives a request's retry plan ({@link RetryPlan#NONE}: one attempt). */
    RetryingCall(Function<RequestContext, RetryPlan> plans, UpstreamCall next) {
        this(plans, next, new UpstreamMeters(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), "", ""));
    }

    RetryingCall(Function<RequestContext, RetryPlan> plans, UpstreamCall next, UpstreamMeters meters) {
        this.plans = plans;
        this.next = next;
        this.meters = meters;
    }

    /** The pool's own plan (v2 retryPolicy, each request counted for its budget), else a Retryer's on the request. */
    static Function<RequestContext, RetryPlan> plansOf(ServerPool pool) {
        return pool.retry().<Function<RequestContext, RetryPlan>>map(plan -> context -> {
            plan.requested();
            return plan;
        }).orElse(context -> context.get(RequestKeys.RETRY_PLAN));
    }

    @Override
    public CompletableFuture<UpstreamResponse> send(ProxyExchange exchange, Upstream server, BodyStream body) {
        RetryPlan plan = plans.apply(exchange.context());
        if (plan.maxAttempts() <= 1) {
            return next.send(exchange, server, body);
        }
        CompletableFuture<UpstreamResponse> result = new CompletableFuture<>();
        long length = body.contentLength();
        if (length > 0 && length <= REPLAY_LIMIT) {
            // A small body is read whole first so that a retry can send it again.
            BodyCollector.collect(body, exchange.context().alloc(), REPLAY_LIMIT).whenComplete((held, error) -> {
                if (error != null) {
                    Throwable cause = Causes.unwrap(error);
                    result.completeExceptionally(cause instanceof BodyTooLargeException ? cause : new RequestBodyIncomplete(cause));
                    return;
                }
                result.whenComplete((r, e) -> held.release());
                attempt(exchange, server, plan, 1, body, length, held, result);
            });
        } else {
            attempt(exchange, server, plan, 1, body, length, null, result);
        }
        return result;
    }

    /**
     * Attempt number {@code attemptNumber}. {@code bodyLength} is the body's length as announced
     * before the first attempt read it (a body in memory reports 0 once it has been read).
     */
    private void attempt(ProxyExchange exchange, Upstream server, RetryPlan plan, int attemptNumber, BodyStream body, long bodyLength,
                         ByteBuf replay, CompletableFuture<UpstreamResponse> result) {
        RequestContext context = exchange.context();
        BodyStream sent = replay != null ? new FixedBody(replay.retainedDuplicate())
                : attemptNumber == 1 ? body : BodyStream.EMPTY;
        long sentAt = System.nanoTime();
        next.send(exchange, server, sent).whenComplete((response, error) -> {
            if (error != null && replay != null) {
                // An attempt that failed before sending (a refused connect) leaves its copy of the held body
                // unread, and the body stays the caller's; read or not, nothing of it is needed any more.
                sent.discard();
            }
            Throwable cause = Causes.unwrap(error);
            int status = response != null ? response.head().status().code() : 0;
            boolean retry = attemptNumber < plan.maxAttempts() && !context.isAborted()
                    && !(cause instanceof BodyTooLargeException) && plan.failed(status)
                    && safeToResend(context, bodyLength, replay != null, cause);
            long wait = retry ? plan.backoffNanos(attemptNumber) : 0;
            if (!retry || System.nanoTime() + wait >= exchange.deadlineNanos() || !plan.takeRetry()) {
                if (attemptNumber > 1 && attemptNumber == plan.maxAttempts() && (error != null || plan.failed(status))) {
                    context.flag(ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED);
                }
                if (error != null) {
                    result.completeExceptionally(cause);
                } else {
                    result.complete(response);
                }
                return;
            }
            exchange.pool().finished(server, response == null ? null : response.head());
            // The server's answer (or failure) counts, though the client never sees it.
            if (response != null) {
                meters.answered(server.url(), status, System.nanoTime() - sentAt);
                response.body().discard();
            } else {
                meters.failed(server.url(), ForwardingCall.timedOut(cause) ? "timeout" : UpstreamMeters.kind(cause),
                        System.nanoTime() - sentAt);
            }
            context.eventLoop().schedule(() -> {
                Upstream again = exchange.pool().pick(context);
                exchange.sendTo(again);
                if (again == null) {
                    result.completeExceptionally(new NoServerLeft());
                    return;
                }
                attempt(exchange, again, plan, attemptNumber + 1, body, bodyLength, replay, result);
            }, wait, TimeUnit.NANOSECONDS);
        });
    }

    private static boolean safeToResend(RequestContext context, long bodyLength, boolean bodyHeld, Throwable cause) {
        if (!bodyHeld && bodyLength != 0) {
            return false;
        }
        boolean neverSent = cause instanceof UpstreamException u && u.connectFailed();
        return neverSent || IdempotentMethods.contains(context.request().method());
    }

    /** The client's body broke off before it was whole, so there was nothing to send (the client's fault: 400). */
    static final class RequestBodyIncomplete extends RuntimeException {
        RequestBodyIncomplete(Throwable cause) {
            super("the request body did not arrive whole", cause, false, false);
        }
    }

    /** Every server of the pool left the rotation between attempts: 503. */
    static final class NoServerLeft extends RuntimeException {
        NoServerLeft() {
            super("no server available", null, false, false);
        }
    }
}
