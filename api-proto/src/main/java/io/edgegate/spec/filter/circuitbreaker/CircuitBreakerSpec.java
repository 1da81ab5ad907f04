package io.edgegate.spec.filter.circuitbreaker;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.resilience.PolicyRules;
import io.edgegate.spec.filter.resilience.UrlPolicyRule;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The v1 CircuitBreaker filter: each {@code urls} entry (and the default policy) has a circuit
 * of its own, fed with the answers of the filters after it. An open circuit answers 503 at
 * once, without calling the server, with the result {@code shortCircuited}.
 */
public record CircuitBreakerSpec(String name, List<CircuitBreakerPolicySpec> policies, Optional<String> defaultPolicyRef,
                                 List<UrlPolicyRule> urls) implements FilterSpec {

    public static final String KIND = "CircuitBreaker";
    public static final String RESULT_SHORT_CIRCUITED = "shortCircuited";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_SHORT_CIRCUITED), CircuitBreakerSpec::decode);

    public CircuitBreakerSpec {
        policies = List.copyOf(policies);
        urls = List.copyOf(urls);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static CircuitBreakerSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        PolicyRules<CircuitBreakerPolicySpec> rules = PolicyRules.decode(o, KIND, CircuitBreakerPolicySpec::decodeV1, CircuitBreakerPolicySpec::name,
                "no request would be guarded");
        return new CircuitBreakerSpec(name, rules.policies(), rules.defaultPolicyRef(), rules.urls());
    }
}
