package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.codec.SpecObject;
import java.time.Duration;

/**
 * Passive health (EdgeGate's, after Envoy's outlier detection): a server whose answers fail
 * {@code consecutiveFailures} times in a row (5xx, or not reached) leaves the rotation for
 * {@code baseEjectionTime} × the number of times it was ejected (so a server that keeps
 * failing stays out longer), capped at {@code maxEjectionTime}. At most
 * {@code maxEjectionPercent} of the servers are out at once, and never all of them.
 */
public record OutlierDetectionSpec(int consecutiveFailures, Duration baseEjectionTime, Duration maxEjectionTime,
                                   int maxEjectionPercent) {

    static OutlierDetectionSpec decode(SpecObject o) {
        int failures = o.integer("consecutiveFailures", 5, 1, 1000);
        Duration base = o.duration("baseEjectionTime", Duration.ofSeconds(30));
        Duration max = o.duration("maxEjectionTime", Duration.ofMinutes(5));
        int percent = o.integer("maxEjectionPercent", 50, 1, 100);
        if (base.isZero() || base.isNegative()) {
            o.error("baseEjectionTime", "must be positive");
        }
        if (max.compareTo(base) < 0) {
            o.error("maxEjectionTime", "must be at least baseEjectionTime");
        }
        o.finish();
        return new OutlierDetectionSpec(failures, base, max, percent);
    }
}
