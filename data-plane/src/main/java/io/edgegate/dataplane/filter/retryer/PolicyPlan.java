package io.edgegate.dataplane.filter.retryer;

import io.edgegate.dataplane.pipeline.RetryPlan;
import io.edgegate.spec.filter.retryer.RetryPolicySpec;
import java.util.concurrent.ThreadLocalRandom;

/** A Retryer policy as the Proxy follows it, with the budget shared by all its requests. */
final class PolicyPlan implements RetryPlan {

    private final RetryPolicySpec policy;
    private final RetryBudget budget;
    private final long waitNanos;

    PolicyPlan(RetryPolicySpec policy, RetryBudget budget) {
        this.policy = policy;
        this.budget = budget;
        this.waitNanos = policy.waitDuration().toNanos();
    }

    void requested() {
        budget.deposit();
    }

    @Override
    public int maxAttempts() {
        return policy.maxAttempts();
    }

    @Override
    public boolean failed(int status) {
        return status == 0 ? policy.countingNetworkException() : policy.isFailure(status);
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
