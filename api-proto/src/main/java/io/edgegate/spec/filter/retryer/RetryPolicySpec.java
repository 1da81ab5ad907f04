package io.edgegate.spec.filter.retryer;

import io.edgegate.spec.codec.SpecObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the Proxy retries (Easegress fields and defaults): up to {@code maxAttempts} attempts in
 * all, {@code waitDuration} apart — growing ×1.5 per retry with EXPONENTIAL — each wait spread by
 * ± {@code randomizationFactor} (0 by default). In a v1 Retryer an attempt failed when its status
 * is one of {@code failureStatusCodes} (none given: no status, as Easegress v1) or, with {@code countingNetworkError}
 * (Easegress v1's name; {@code countingNetworkException} is read too), when the server could not be
 * reached or answer in time. {@code retryBudget} (EdgeGate's) caps
 * retries at {@code retryRatio} of requests plus {@code minRetriesPerSecond}, so retries
 * cannot multiply the load on a struggling service.
 */
public record RetryPolicySpec(String name, int maxAttempts, Duration waitDuration, BackOff backOffPolicy,
                              double randomizationFactor, boolean countingNetworkException, Set<Integer> failureStatusCodes,
                              double retryRatio, int minRetriesPerSecond) {

    public enum BackOff { RANDOM, EXPONENTIAL }

    public RetryPolicySpec {
        failureStatusCodes = Set.copyOf(failureStatusCodes);
    }

    public static RetryPolicySpec decode(SpecObject o) {
        String name = o.requiredString("name");
        int maxAttempts = o.integer("maxAttempts", 3, 1, 10);
        Duration wait = o.duration("waitDuration", Duration.ofMillis(500));
        String backOff = o.string("backOffPolicy", "RANDOM").toUpperCase(Locale.ROOT);
        BackOff policy = switch (backOff) {
            case "RANDOM" -> BackOff.RANDOM;
            case "EXPONENTIAL" -> BackOff.EXPONENTIAL;
            default -> {
                o.error("backOffPolicy", "'" + backOff + "' is not a back-off policy (expected RANDOM or EXPONENTIAL)");
                yield BackOff.RANDOM;
            }
        };
        double factor = o.number("randomizationFactor", 0, 0, 1);
        boolean network = o.bool("countingNetworkError", false) | o.bool("countingNetworkException", false);
        List<Integer> codes = o.list("failureStatusCodes", n -> n.asInt(100, 599));
        double ratio = 0.2;
        int minPerSecond = 10;
        SpecObject budget = o.object("retryBudget").orElse(null);
        if (budget != null) {
            ratio = budget.number("retryRatio", ratio, 0, 10);
            minPerSecond = budget.integer("minRetriesPerSecond", minPerSecond, 0, 1_000_000);
            budget.finish();
        }
        if (wait.isNegative()) {
            o.error("waitDuration", "must not be negative");
        }
        o.finish();
        return new RetryPolicySpec(name, maxAttempts, wait, policy, factor, network, Set.copyOf(codes), ratio, minPerSecond);
    }

    /** The same policy as Easegress v2's Retry takes it: a {@code waitDuration} of 0 is its default, 500ms (v1's Retryer keeps 0). */
    public RetryPolicySpec asV2() {
        return waitDuration.isZero()
                ? new RetryPolicySpec(name, maxAttempts, Duration.ofMillis(500), backOffPolicy, randomizationFactor, countingNetworkException,
                        failureStatusCodes, retryRatio, minRetriesPerSecond)
                : this;
    }
}
