package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.circuitbreaker.CircuitBreakerPolicySpec;
import io.edgegate.spec.filter.resilience.ResiliencePolicies;
import io.edgegate.spec.filter.retryer.RetryPolicySpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A v2 pool's resilience: the pipeline policies it names ({@code retryPolicy},
 * {@code circuitBreakerPolicy}), resolved when the pipeline is decoded, and
 * {@code failureCodes} — answers with these statuses count as failures for both and make the
 * Proxy's result {@code failureCode} (for a jumpIf to a fallback).
 */
public record PoolResilience(Optional<String> retryPolicy, Optional<String> circuitBreakerPolicy, Set<Integer> failureCodes,
                             Optional<RetryPolicySpec> retry, Optional<CircuitBreakerPolicySpec> circuitBreaker) {

    static final PoolResilience NONE = new PoolResilience(Optional.empty(), Optional.empty(), Set.of(), Optional.empty(),
            Optional.empty());

    public PoolResilience {
        failureCodes = Set.copyOf(failureCodes);
    }

    static PoolResilience decode(SpecObject pool) {
        Optional<String> retry = pool.optionalString("retryPolicy").filter(r -> !r.isEmpty());
        Optional<String> breaker = pool.optionalString("circuitBreakerPolicy").filter(r -> !r.isEmpty());
        List<Integer> codes = pool.list("failureCodes", n -> n.asInt(100, 599));
        return new PoolResilience(retry, breaker, Set.copyOf(codes), Optional.empty(), Optional.empty());
    }

    /** These with {@code codes} as the failure codes when none of their own are given (a v1 Proxy's failureCodes). */
    PoolResilience withDefaultFailureCodes(Set<Integer> codes) {
        return failureCodes.isEmpty() ? new PoolResilience(retryPolicy, circuitBreakerPolicy, codes, retry, circuitBreaker) : this;
    }

    /** With the named policies looked up; a name the pipeline lacks is refused. */
    PoolResilience resolve(ResiliencePolicies policies) {
        Optional<RetryPolicySpec> r = retryPolicy.map(name -> found(policies.retries().get(name), name, "Retry", policies.retries().keySet()));
        Optional<CircuitBreakerPolicySpec> c = circuitBreakerPolicy.map(name -> found(policies.circuitBreakers().get(name), name,
                "CircuitBreaker", policies.circuitBreakers().keySet()));
        return new PoolResilience(retryPolicy, circuitBreakerPolicy, failureCodes, r, c);
    }

    private static <T> T found(T policy, String name, String kind, Set<String> known) {
        if (policy == null) {
            throw new IllegalArgumentException("pool names " + kind + " policy '" + name + "', which the pipeline's resilience "
                    + "does not define (" + kind + " policies: " + (known.isEmpty() ? "none" : String.join(", ", known.stream().sorted().toList())) + ")");
        }
        return policy;
    }
}
