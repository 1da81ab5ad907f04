package io.edgegate.spec.filter.resilience;

import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.match.UrlMatchSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code urls} entry of the resilience filters (RateLimiter, CircuitBreaker, Retryer):
 * requests with one of {@code methods} (empty: any) whose path matches {@code url} use the
 * policy named {@code policyRef}, or {@code defaultPolicyRef} when it names none. As in
 * Easegress, the first matching entry wins, each entry keeps its own state (a limiter or a
 * breaker of its own), and requests matching no entry pass untouched. A filter with no
 * {@code urls} at all applies {@code defaultPolicyRef} to every request (an EdgeGate shorthand); {@code urls: []} written out, none.
 */
public record UrlPolicyRule(UrlMatchSpec match, String policyRef) {

    /** Reads {@code urls} and checks every reference against {@code policyNames}; an entry without one takes {@code defaultRef}. */
    public static List<UrlPolicyRule> decodeAll(SpecObject o, Set<String> policyNames, Optional<String> defaultRef) {
        return o.list("urls", n -> decode(n.asObject(), policyNames, defaultRef));
    }

    public static Optional<String> defaultPolicyRef(SpecObject o, Set<String> policyNames) {
        Optional<String> ref = o.optionalString("defaultPolicyRef").filter(r -> !r.isEmpty());
        ref.ifPresent(r -> checkRef(o, "defaultPolicyRef", r, policyNames));
        return ref;
    }

    private static UrlPolicyRule decode(SpecObject u, Set<String> policyNames, Optional<String> defaultRef) {
        UrlMatchSpec match = UrlMatchSpec.readFields(u);
        Optional<String> own = u.optionalString("policyRef").filter(r -> !r.isEmpty());
        own.ifPresent(r -> checkRef(u, "policyRef", r, policyNames));
        if (own.isEmpty() && defaultRef.isEmpty()) {
            u.error("policyRef", "no policyRef, and no defaultPolicyRef to use instead");
        }
        u.finish();
        return new UrlPolicyRule(match, own.or(() -> defaultRef).orElse(""));
    }

    private static void checkRef(SpecObject o, String key, String ref, Set<String> policyNames) {
        if (!policyNames.contains(ref)) {
            o.error(key, "no policy named '" + ref + "' (policies: " + String.join(", ", policyNames.stream().sorted().toList()) + ")");
        }
    }
}
