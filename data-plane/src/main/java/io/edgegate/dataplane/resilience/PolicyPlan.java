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

    public PolicyPlan(RetryPolicySpec policy, RetryBudget budget) {
        this(policy, budget, Set.of());
    }

    /** {@code failureCodes}, when given (a v2 pool's), replace the policy's own failure statuses. */
    public PolicyPlan(RetryPolicySpec policy, RetryBudget budget, Set<Integer> failureCodes) {
        this.policy = policy;
        this.budget = budget;
        this.waitNanos = policy.waitDuration().toNanos();
        this.failureCodes = Set.copyOf(failureCodes);
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
        if (status == 0) {
            return policy.countingNetworkException();
        }
        return failureCodes.isEmpty() ? policy.isFailure(status) : failureCodes.contains(status);
    }

    @Override
    public long backoffNanos(int retry) {
        double base = policy.backOffPolicy() == RetryPolicySpec.BackOff.EXPONENTIAL
                ? waitNanos * Math.pow(2, retry - 1) : waitNanos;
        double spread = policy.randomizationFactor() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return (long) (base * (1 + spread));
    }

    @Override
    public boolean takeRetry() {
        return budget.take();
    }
}
