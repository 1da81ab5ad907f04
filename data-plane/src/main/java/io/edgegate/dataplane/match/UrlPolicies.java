package io.edgegate.dataplane.match;

import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.spec.filter.resilience.UrlPolicyRule;
import java.util.List;
import java.util.Optional;

/**
 * The {@code urls} rules of a resilience filter, compiled once per config: which rule and policy
 * (by its index in the filter's policy list) a request uses, first matching rule first. As in
 * Easegress, a request that matches no rule has none; only a filter without rules applies its
 * default policy to every request.
 */
public final class UrlPolicies {

    public static final int NONE = -1;

    private record Rule(UrlMatcher match, int policy) {
    }

    private final Rule[] rules;
    private final int defaultPolicy;

    private UrlPolicies(Rule[] rules, int defaultPolicy) {
        this.rules = rules;
        this.defaultPolicy = defaultPolicy;
    }

    public static UrlPolicies of(List<UrlPolicyRule> urls, Optional<String> defaultPolicyRef, List<String> policyNames) {
        Rule[] rules = urls.stream()
                .map(u -> new Rule(UrlMatcher.of(u.match()), policyNames.indexOf(u.policyRef())))
                .toArray(Rule[]::new);
        return new UrlPolicies(rules, defaultPolicyRef.map(policyNames::indexOf).orElse(NONE));
    }

    /** Like {@link #ruleFor}, from the request target: the path is cut out only when a rule needs it. */
    public int ruleForTarget(String method, String uri) {
        return rules.length == 0 ? ruleFor(method, "") : ruleFor(method, RequestTarget.matchingPath(RequestTarget.path(uri)));
    }

    /** Like {@link #policyFor}, from the request target: the path is cut out only when a rule needs it. */
    public int policyForTarget(String method, String uri) {
        return rules.length == 0 ? defaultPolicy : policyFor(method, RequestTarget.matchingPath(RequestTarget.path(uri)));
    }

    /** The policy index of each rule as numbered by {@link #ruleFor} (the last: the default's, or {@link #NONE}). */
    public int[] policiesByRule() {
        int[] byRule = new int[ruleCount()];
        for (int i = 0; i < byRule.length; i++) {
            byRule[i] = policyOfRule(i);
        }
        return byRule;
    }

    /**
     * Which rule this request falls under: its index in {@code urls}, {@link #ruleCount()} - 1
     * for the default policy, or {@link #NONE}. For filters that keep state per rule.
     */
    public int ruleFor(String method, String path) {
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].match().matches(method, path)) {
                return i;
            }
        }
        return defaultPolicy == NONE || rules.length > 0 ? NONE : rules.length;
    }

    /** Rules including the default one (whether or not there is a default policy). */
    public int ruleCount() {
        return rules.length + 1;
    }

    /**
     * The policy of rule {@code rule} as numbered by {@link #ruleFor}; {@link #NONE} for the default's slot
     * when it is absent or never reached (there are rules), so no limiter or breaker is made for it.
     */
    public int policyOfRule(int rule) {
        if (rule == rules.length) {
            return rules.length > 0 ? NONE : defaultPolicy;
        }
        return rules[rule].policy;
    }

    /** The index of the policy for this request, or {@link #NONE}. */
    public int policyFor(String method, String path) {
        for (Rule rule : rules) {
            if (rule.match().matches(method, path)) {
                return rule.policy;
            }
        }
        return rules.length > 0 ? NONE : defaultPolicy;
    }
}
