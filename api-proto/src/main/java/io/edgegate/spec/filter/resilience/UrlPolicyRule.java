package io.edgegate.spec.filter.resilience;

import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.match.UrlMatchSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code urls} entry of the resilience filters (RateLimiter, CircuitBreaker, Retryer):
 * requests with one of {@code methods} (empty: any) whose path matches {@code url} use the
 * policy named {@code policyRef}. The first matching entry wins; requests matching none use
 * {@code defaultPolicyRef}, or pass untouched when there is none.
 */
public record UrlPolicyRule(UrlMatchSpec match, String policyRef) {

    /** Reads {@code urls} and checks every reference, and {@code defaultPolicyRef}, against {@code policyNames}. */
    public static List<UrlPolicyRule> decodeAll(SpecObject o, Set<String> policyNames) {
        return o.list("urls", n -> decode(n.asObject(), policyNames));
    }

    public static Optional<String> defaultPolicyRef(SpecObject o, Set<String> policyNames) {
        Optional<String> ref = o.optionalString("defaultPolicyRef").filter(r -> !r.isEmpty());
        ref.ifPresent(r -> checkRef(o, "defaultPolicyRef", r, policyNames));
        return ref;
    }

    private static UrlPolicyRule decode(SpecObject u, Set<String> policyNames) {
        UrlMatchSpec match = UrlMatchSpec.readFields(u);
        String ref = u.requiredString("policyRef");
        if (!ref.isEmpty()) {
            checkRef(u, "policyRef", ref, policyNames);
        }
        u.finish();
        return new UrlPolicyRule(match, ref);
    }

    private static void checkRef(SpecObject o, String key, String ref, Set<String> policyNames) {
        if (!policyNames.contains(ref)) {
            o.error(key, "no policy named '" + ref + "' (policies: " + String.join(", ", policyNames.stream().sorted().toList()) + ")");
        }
    }
}
