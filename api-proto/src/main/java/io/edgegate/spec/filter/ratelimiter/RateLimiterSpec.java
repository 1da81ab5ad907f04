package io.edgegate.spec.filter.ratelimiter;

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
 * The RateLimiter filter: requests matching {@code urls} (or all, with {@code
 * defaultPolicyRef}) take a permit of their policy, waiting up to its timeout; without one
 * they get 429 with {@code Retry-After} and the result {@code rateLimited}. Limits are per
 * data-plane node, so N nodes admit N times the limit. With {@code perClient} each client
 * has its own permits.
 */
public record RateLimiterSpec(String name, List<RateLimitPolicySpec> policies, Optional<String> defaultPolicyRef,
                              List<UrlPolicyRule> urls, Optional<PerClientSpec> perClient) implements FilterSpec {

    public static final String KIND = "RateLimiter";
    public static final String RESULT_RATE_LIMITED = "rateLimited";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_RATE_LIMITED), RateLimiterSpec::decode);

    public RateLimiterSpec {
        policies = List.copyOf(policies);
        urls = List.copyOf(urls);
    }

    @Override
    public String kind() {
        return KIND;
    }

    public RateLimitPolicySpec policy(String policyName) {
        return policies.stream().filter(p -> p.name().equals(policyName)).findFirst().orElseThrow();
    }

    static RateLimiterSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        PolicyRules<RateLimitPolicySpec> rules = PolicyRules.decode(o, KIND, RateLimitPolicySpec::decode, RateLimitPolicySpec::name,
                "no request would be limited");
        Optional<PerClientSpec> perClient = o.object("perClient").map(PerClientSpec::decode);
        return new RateLimiterSpec(name, rules.policies(), rules.defaultPolicyRef(), rules.urls(), perClient);
    }
}
