package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.pipeline.Response;

/**
 * One request on its way through a Proxy's parts: the pool chosen for it, what the cache knows
 * of it, when its answer is due, the server it went to last, and the answer that server gave.
 * Lives on the request's event loop.
 */
final class ProxyExchange {

    private final RequestContext context;
    private final ServerPool pool;
    /** The request's own limit (a TimeLimiter's), over all attempts. */
    private final long deadlineNanos;
    private ResponseCache.Lookup cacheLookup = ResponseCache.Lookup.NONE;
    private Upstream server;
    private boolean serverPicked;
    private Response upstreamAnswer;
    /** The cache's answer (a HIT, or an entry a 304 revalidated), while it is the request's. */
    private Response cachedAnswer;

    ProxyExchange(RequestContext context, ServerPool pool) {
        this.context = context;
        this.pool = pool;
        this.deadlineNanos = context.get(RequestKeys.DEADLINE_NANOS);
    }

    RequestContext context() {
        return context;
    }

    ServerPool pool() {
        return pool;
    }

    /** When, by {@link System#nanoTime()}, the request must have its answer, retries and all; {@link Long#MAX_VALUE} for never. */
    long deadlineNanos() {
        return deadlineNanos;
    }

    /**
     * When the answer of an attempt starting now is due: the pool's {@code timeout} counts for each attempt, as
     * Easegress times each try its retry policy makes, within the request's own limit.
     */
    long attemptDeadlineNanos() {
        long timeout = pool.timeoutNanos();
        return timeout == Long.MAX_VALUE ? deadlineNanos : Math.min(deadlineNanos, System.nanoTime() + timeout);
    }

    /** Whether an attempt's answer is timed here (a pool timeout or a request limit), not by the upstream client's idle time. */
    boolean timed() {
        return pool.timeoutNanos() != Long.MAX_VALUE || deadlineNanos != Long.MAX_VALUE;
    }

    ResponseCache.Lookup cacheLookup() {
        return cacheLookup;
    }

    void consulted(ResponseCache.Lookup lookup) {
        cacheLookup = lookup;
    }

    /** The server the request goes to now; null once a retry found none left. */
    Upstream server() {
        return server;
    }

    void sendTo(Upstream next) {
        server = next;
        serverPicked |= next != null;
    }

    /** Whether a server was picked at all (else the Proxy answered 503 without sending anything). */
    boolean serverPicked() {
        return serverPicked;
    }

    /** The upstream's answer became the request's. */
    void answeredByUpstream(Response answer) {
        context.respond(answer);
        upstreamAnswer = answer;
    }

    /**
     * The upstream's answer as it stands, or null when the request's answer is not the
     * upstream's (the Proxy's own 502/503/504, a cache hit, a client that went away).
     */
    Response upstreamAnswer() {
        return upstreamAnswer != null && context.response() == upstreamAnswer ? upstreamAnswer : null;
    }

    /** Puts a revised form of the upstream's answer (another body, e.g. compressed or copied to the cache) in its place. */
    void revise(Response revised) {
        context.reviseResponse(revised);
        upstreamAnswer = revised;
    }

    /** The cache answers instead of the upstream (a 304 that revalidated its entry); the upstream's body is dropped. */
    void answerFromCache(Response cached) {
        upstreamAnswer.body().discard();
        context.reviseResponse(cached);
        upstreamAnswer = null;
        cachedAnswer = cached;
    }

    /** The cache answers before any upstream is asked (a fresh entry). */
    void answeredByCache(Response cached) {
        context.respond(cached);
        cachedAnswer = cached;
    }

    /** The cache's answer as it stands, or null when the request's answer is not the cache's. */
    Response cachedAnswer() {
        return cachedAnswer != null && context.response() == cachedAnswer ? cachedAnswer : null;
    }

    /** Puts a revised form of the cache's answer (compressed) in its place. */
    void reviseCached(Response revised) {
        context.reviseResponse(revised);
        cachedAnswer = revised;
    }
}
