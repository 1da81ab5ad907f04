package io.edgegate.spec.filter.ratelimiter;

import io.edgegate.spec.codec.SpecObject;
import java.time.Duration;

/**
 * {@code limitForPeriod} permits every {@code limitRefreshPeriod}; a request waits up to
 * {@code timeoutDuration} for one (Easegress defaults: 50 per 10ms, wait 100ms).
 */
public record RateLimitPolicySpec(String name, Duration timeoutDuration, Duration limitRefreshPeriod, int limitForPeriod) {

    /** Permits of one period are counted in 24 bits of the limiter's state. */
    public static final int MAX_LIMIT_FOR_PERIOD = 1_000_000;

    static RateLimitPolicySpec decode(SpecObject o) {
        String name = o.requiredString("name");
        Duration timeout = o.duration("timeoutDuration", Duration.ofMillis(100));
        Duration period = o.duration("limitRefreshPeriod", Duration.ofMillis(10));
        int limit = o.integer("limitForPeriod", 50, 1, MAX_LIMIT_FOR_PERIOD);
        if (period.toNanos() < Duration.ofMillis(1).toNanos()) {
            o.error("limitRefreshPeriod", "must be at least 1ms");
        }
        if (timeout.isNegative()) {
            o.error("timeoutDuration", "must not be negative");
        }
        o.finish();
        return new RateLimitPolicySpec(name, timeout, period, limit);
    }
}
