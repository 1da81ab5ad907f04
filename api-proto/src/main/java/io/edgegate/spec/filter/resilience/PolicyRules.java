package io.edgegate.spec.filter.resilience;

import io.edgegate.spec.codec.SpecObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The part the resilience filters (RateLimiter, CircuitBreaker, Retryer) share: named
 * {@code policies}, a {@code defaultPolicyRef} and {@code urls} rules that name a policy.
 * Names must be unique and every reference must name a policy.
 */
public record PolicyRules<P>(List<P> policies, Optional<String> defaultPolicyRef, List<UrlPolicyRule> urls) {

    public PolicyRules {
        policies = List.copyOf(policies);
        urls = List.copyOf(urls);
    }

    /**
     * Reads the three fields of a {@code filterKind} filter; {@code unguarded} completes the
     * error given when no request would use a policy ("no request would be limited").
     */
    public static <P> PolicyRules<P> decode(SpecObject o, String filterKind, Function<SpecObject, P> policy,
                                            Function<P, String> nameOf, String unguarded) {
        List<P> policies = o.list("policies", n -> policy.apply(n.asObject()));
        Set<String> names = new LinkedHashSet<>();
        for (P p : policies) {
            String name = nameOf.apply(p);
            if (!name.isEmpty() && !names.add(name)) {
                o.error("policies", "policy name '" + name + "' is used twice");
            }
        }
        if (policies.isEmpty()) {
            o.error("policies", "a " + filterKind + " needs at least one policy");
        }
        Optional<String> defaultRef = UrlPolicyRule.defaultPolicyRef(o, names);
        List<UrlPolicyRule> urls = UrlPolicyRule.decodeAll(o, names, defaultRef);
        if (urls.isEmpty() && o.has("urls")) {
            // Easegress applies a policy only to what a urls entry matches: written empty, it guards nothing.
            // Only leaving urls out is EdgeGate's shorthand for "defaultPolicyRef for every request".
            o.warning("urls", unguarded + ": urls is empty, which Easegress reads as no rules; leave urls out to apply "
                    + "defaultPolicyRef to every request");
            return new PolicyRules<>(policies, Optional.empty(), urls);
        }
        if (urls.isEmpty() && defaultRef.isEmpty() && !policies.isEmpty()) {
            o.error("urls", unguarded + ": give urls with a policyRef, or a defaultPolicyRef");
        }
        return new PolicyRules<>(policies, defaultRef, urls);
    }
}
