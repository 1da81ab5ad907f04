package io.edgegate.dataplane.resilience;

import io.edgegate.dataplane.pipeline.RetryPlan;
import io.edgegate.spec.filter.retryer.RetryPolicySpec;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** A Retryer policy as the Proxy follows it, with the budget shared by all its requests. */
public final class PolicyPlan implements RetryPlan {

    private final RetryPolicySpec policy;
    private final RetryBudget budget;
    private final long waitNanos;
    private final Set<Integer> failureCodes;

    /**
     * A v1 Retryer's policy, as Easegress v1 retries: a status in its {@code failureStatusCodes} (none given: no
     * status is a failure), and unreachable servers with {@code countingNetworkException}.
     */
    public PolicyPlan(RetryPolicySpec policy, RetryBudget budget) {
        this(policy, budget, Set.of(), false);
    }

    /** Whether this is a v2 pool's retryPolicy, which retries as Easegress v2 does. */
    private final boolean poolPlan;

    private PolicyPlan(RetryPolicySpec policy, RetryBudget budget, Set<Integer> failureCodes, boolean poolPlan) {
        this.policy = policy;
        this.budget = budget;
        this.waitNanos = policy.waitDuration().toNanos();
        this.failureCodes = Set.copyOf(failureCodes);
        this.poolPlan = poolPlan;
    }

    /**
     * A v2 pool's retryPolicy: as Easegress v2, an attempt failed when the server could not be reached, did not
     * answer in time, or answered one of {@code failureCodes} (the pool's: its own, else the policy's
     * {@code failureStatusCodes}, else any 5xx); any other answer is the pool's answer.
     */
    public static PolicyPlan forPool(RetryPolicySpec policy, RetryBudget budget, Set<Integer> failureCodes) {
        return new PolicyPlan(policy, budget, failureCodes, true);
    }

    /** A request that may be retried: it adds to the budget. */
    public void requested() {
        budget.deposit();
    }

    @Override
    public int maxAttempts() {
        return policy.maxAttempts();
    }

    @Override
    public boolean failed(int status) {
        if (poolPlan) {
            return status == 0 || failureCodes.contains(status);
        }
        if (status == 0) {
            return policy.countingNetworkException();
        }
        return policy.failureStatusCodes().contains(status);
    }

    @Override
    public long backoffNanos(int retry) {
        double base = policy.backOffPolicy() == RetryPolicySpec.BackOff.EXPONENTIAL
                ? waitNanos * Math.pow(1.5, retry - 1) : waitNanos; // as Easegress: ×1.5 per retry
        double spread = policy.randomizationFactor() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return (long) (base * (1 + spread));
    }

    @Override
    public boolean takeRetry() {
        return budget.take();
    }
}
