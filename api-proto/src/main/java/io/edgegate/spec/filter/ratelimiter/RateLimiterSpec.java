package io.edgegate.spec.filter.ratelimiter;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.resilience.UrlPolicyRule;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.LinkedHashSet;
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
        List<RateLimitPolicySpec> policies = o.list("policies", n -> RateLimitPolicySpec.decode(n.asObject()));
        Set<String> names = new LinkedHashSet<>();
        for (RateLimitPolicySpec policy : policies) {
            if (!policy.name().isEmpty() && !names.add(policy.name())) {
                o.error("policies", "policy name '" + policy.name() + "' is used twice");
            }
        }
        if (policies.isEmpty()) {
            o.error("policies", "a RateLimiter needs at least one policy");
        }
        Optional<String> defaultRef = UrlPolicyRule.defaultPolicyRef(o, names);
        List<UrlPolicyRule> urls = UrlPolicyRule.decodeAll(o, names);
        if (urls.isEmpty() && defaultRef.isEmpty() && !policies.isEmpty()) {
            o.error("urls", "no request would be limited: give urls with a policyRef, or a defaultPolicyRef");
        }
        Optional<PerClientSpec> perClient = o.object("perClient").map(PerClientSpec::decode);
        return new RateLimiterSpec(name, policies, defaultRef, urls, perClient);
    }
}
