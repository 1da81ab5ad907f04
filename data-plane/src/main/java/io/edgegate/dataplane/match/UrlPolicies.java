package io.edgegate.dataplane.match;

import io.edgegate.spec.filter.resilience.UrlPolicyRule;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code urls} rules of a resilience filter, compiled once per config: which policy (by
 * its index in the filter's policy list) a request uses, first matching rule first, then the
 * default policy.
 */
public final class UrlPolicies {

    public static final int NONE = -1;

    private record Rule(Set<String> methods, StringMatcher url, int policy) {
        boolean matches(String method, String path) {
            return (methods.isEmpty() || methods.contains(method)) && url.matches(path);
        }
    }

    private final Rule[] rules;
    private final int defaultPolicy;

    private UrlPolicies(Rule[] rules, int defaultPolicy) {
        this.rules = rules;
        this.defaultPolicy = defaultPolicy;
    }

    public static UrlPolicies of(List<UrlPolicyRule> urls, Optional<String> defaultPolicyRef, List<String> policyNames) {
        Rule[] rules = urls.stream()
                .map(u -> new Rule(Set.copyOf(u.methods()), StringMatcher.of(u.url()), policyNames.indexOf(u.policyRef())))
                .toArray(Rule[]::new);
        return new UrlPolicies(rules, defaultPolicyRef.map(policyNames::indexOf).orElse(NONE));
    }

    /** The index of the policy for this request, or {@link #NONE}. */
    public int policyFor(String method, String path) {
        for (Rule rule : rules) {
            if (rule.matches(method, path)) {
                return rule.policy;
            }
        }
        return defaultPolicy;
    }
}
