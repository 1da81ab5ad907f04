package io.edgegate.dataplane.pipeline;

import java.util.Map;

/** The values filters hand to each other through the request context. */
public final class RequestKeys {

    /** The claims of the token a Validator verified (top-level text and number claims): templates and per-client limits read them. */
    public static final ContextKey<Map<String, String>> JWT_CLAIMS = ContextKey.named("jwtClaims", Map.of());

    /** How the Proxy may retry this request (a Retryer's plan); a pool's own retryPolicy comes first. */
    public static final ContextKey<RetryPlan> RETRY_PLAN = ContextKey.named("retryPlan", RetryPlan.NONE);

    /**
     * When, by {@link System#nanoTime()}, the upstream's answer is due (a TimeLimiter's limit; the
     * earliest wins); {@link Long#MAX_VALUE} when none was set.
     */
    public static final ContextKey<Long> DEADLINE_NANOS = ContextKey.named("deadlineNanos", Long.MAX_VALUE);

    /**
     * A v1 TimeLimiter's own limit, as {@link #DEADLINE_NANOS}: when it is what passed, the answer is Easegress's
     * TimeLimiter answer (408 with {@code X-EG-Time-Limiter: timed-out}), not the Proxy's 504.
     */
    public static final ContextKey<Long> TIME_LIMITER_DEADLINE_NANOS = ContextKey.named("timeLimiterDeadlineNanos", Long.MAX_VALUE);

    /**
     * The Proxy answered itself because the server could not be reached or was too slow (502/504):
     * circuit breakers that count network failures read it.
     */
    public static final ContextKey<Boolean> UPSTREAM_FAILED = ContextKey.named("upstreamFailed", false);

    /** The upstream server (URL) that gave the Proxy's answer: for the access log. */
    public static final ContextKey<String> UPSTREAM = ContextKey.named("upstream", "");

    /** The status the upstream answered with (0: none answered), which filters after the Proxy may change. */
    public static final ContextKey<Integer> UPSTREAM_STATUS = ContextKey.named("upstreamStatus", 0);

    private RequestKeys() {
    }
}
