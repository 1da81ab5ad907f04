package io.edgegate.spec.filter.resilience;

import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.circuitbreaker.CircuitBreakerPolicySpec;
import io.edgegate.spec.filter.retryer.RetryPolicySpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A v2 pipeline's {@code resilience} policies by name: {@code kind: CircuitBreaker} (the fields
 * of a CircuitBreaker policy) and {@code kind: Retry} (those of a Retryer policy). Proxy pools
 * name them in {@code circuitBreakerPolicy} and {@code retryPolicy}.
 */
public record ResiliencePolicies(Map<String, CircuitBreakerPolicySpec> circuitBreakers, Map<String, RetryPolicySpec> retries) {

    public static final ResiliencePolicies NONE = new ResiliencePolicies(Map.of(), Map.of());

    public ResiliencePolicies {
        circuitBreakers = Map.copyOf(circuitBreakers);
        retries = Map.copyOf(retries);
    }

    public static ResiliencePolicies decode(SpecObject pipeline) {
        Map<String, CircuitBreakerPolicySpec> breakers = new LinkedHashMap<>();
        Map<String, RetryPolicySpec> retries = new LinkedHashMap<>();
        pipeline.list("resilience", n -> {
            SpecObject policy = n.asObject();
            String kind = policy.requiredString("kind");
            switch (kind) {
                case "CircuitBreaker" -> {
                    CircuitBreakerPolicySpec spec = CircuitBreakerPolicySpec.decode(policy);
                    add(policy, spec.name(), spec, breakers, retries);
                }
                case "Retry" -> {
                    RetryPolicySpec spec = RetryPolicySpec.decode(policy).asV2();
                    add(policy, spec.name(), spec, breakers, retries);
                }
                default -> {
                    if (!kind.isEmpty()) {
                        policy.error("kind", "'" + kind + "' is not a resilience policy kind (expected CircuitBreaker or Retry)");
                    }
                }
            }
            return kind;
        });
        return new ResiliencePolicies(breakers, retries);
    }

    private static void add(SpecObject at, String name, Object spec, Map<String, CircuitBreakerPolicySpec> breakers,
                            Map<String, RetryPolicySpec> retries) {
        if (name.isEmpty()) {
            return;
        }
        if (breakers.containsKey(name) || retries.containsKey(name)) {
            at.error("name", "policy name '" + name + "' is used twice");
        } else if (spec instanceof CircuitBreakerPolicySpec breaker) {
            breakers.put(name, breaker);
        } else if (spec instanceof RetryPolicySpec retry) {
            retries.put(name, retry);
        }
    }
}
