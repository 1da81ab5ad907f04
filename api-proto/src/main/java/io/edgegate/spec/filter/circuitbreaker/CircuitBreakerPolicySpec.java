package io.edgegate.spec.filter.circuitbreaker;

import io.edgegate.spec.codec.SpecObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When a circuit opens and closes again (Easegress / resilience4j fields and defaults). The
 * failure and slow-call rates are taken over the last {@code slidingWindowSize} calls
 * (COUNT_BASED) or seconds (TIME_BASED), once at least {@code minimumNumberOfCalls} are in the
 * window. In a v1 CircuitBreaker a call fails when its status is one of {@code failureStatusCodes}
 * (none given: no status, as in Easegress v1) or, with {@code countingNetworkError} (Easegress v1's
 * key; {@code countingNetworkException} is read too), when the server could not be reached or did
 * not answer in time. A v2 pool's circuit counts the pool's failure codes instead.
 */
public record CircuitBreakerPolicySpec(
        String name,
        WindowType slidingWindowType,
        int failureRateThreshold,
        int slowCallRateThreshold,
        Duration slowCallDurationThreshold,
        int slidingWindowSize,
        int permittedNumberOfCallsInHalfOpenState,
        int minimumNumberOfCalls,
        Duration maxWaitDurationInHalfOpenState,
        Duration waitDurationInOpenState,
        boolean countingNetworkException,
        Set<Integer> failureStatusCodes) {

    public enum WindowType { COUNT_BASED, TIME_BASED }

    public CircuitBreakerPolicySpec {
        failureStatusCodes = Set.copyOf(failureStatusCodes);
    }

    /**
     * A v1 CircuitBreaker's policy: as {@link #decode}, and refused as Easegress v1 refuses it when it sets a
     * {@code failureRateThreshold} that nothing could reach (no status codes, network errors not counted).
     */
    public static CircuitBreakerPolicySpec decodeV1(SpecObject o) {
        boolean thresholdGiven = o.has("failureRateThreshold");
        CircuitBreakerPolicySpec policy = decode(o);
        if (thresholdGiven && policy.failureStatusCodes().isEmpty() && !policy.countingNetworkException()) {
            o.error("policy '" + policy.name() + "' has set failure threshold and countingNetworkError is false, "
                    + "but not set failure status code");
        }
        return policy;
    }

    public static CircuitBreakerPolicySpec decode(SpecObject o) {
        String name = o.requiredString("name");
        String type = o.string("slidingWindowType", "COUNT_BASED").toUpperCase(Locale.ROOT);
        WindowType window = switch (type) {
            case "COUNT_BASED" -> WindowType.COUNT_BASED;
            case "TIME_BASED" -> WindowType.TIME_BASED;
            default -> {
                o.error("slidingWindowType", "'" + type + "' is not a window type (expected COUNT_BASED or TIME_BASED)");
                yield WindowType.COUNT_BASED;
            }
        };
        int failureRate = o.integer("failureRateThreshold", 50, 1, 100);
        int slowRate = o.integer("slowCallRateThreshold", 100, 1, 100);
        Duration slowCall = o.duration("slowCallDurationThreshold", Duration.ofSeconds(60));
        int maxWindow = window == WindowType.TIME_BASED ? 3600 : 100_000;
        int windowSize = o.integer("slidingWindowSize", 100, 1, maxWindow);
        int halfOpenCalls = o.integer("permittedNumberOfCallsInHalfOpenState", 10, 1, 100_000);
        int minimumCalls = o.integer("minimumNumberOfCalls", 100, 1, Integer.MAX_VALUE);
        Duration maxHalfOpen = o.duration("maxWaitDurationInHalfOpenState", Duration.ZERO);
        Duration openWait = o.duration("waitDurationInOpenState", Duration.ofSeconds(60));
        // Easegress v1's name, and the one its first drafts had.
        boolean network = o.bool("countingNetworkError", false) | o.bool("countingNetworkException", false);
        List<Integer> codes = o.list("failureStatusCodes", n -> n.asInt(100, 599));
        if (slowCall.isZero() || slowCall.isNegative()) {
            o.error("slowCallDurationThreshold", "must be positive");
        }
        if (openWait.isNegative() || maxHalfOpen.isNegative()) {
            o.error("durations must not be negative");
        }
        o.finish();
        return new CircuitBreakerPolicySpec(name, window, failureRate, slowRate, slowCall, windowSize, halfOpenCalls,
                minimumCalls, maxHalfOpen, openWait, network, Set.copyOf(codes));
    }
}
