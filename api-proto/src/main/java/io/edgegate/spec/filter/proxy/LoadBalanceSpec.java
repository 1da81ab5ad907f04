package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.codec.SpecObject;
import java.util.Arrays;
import java.util.Optional;

/**
 * How a pool picks a server: a policy (with {@code headerHashKey} for headerHash; cookieHash hashes
 * the whole Cookie header as Easegress does, or, EdgeGate's addition, the one cookie {@code cookieName}
 * names), and optionally a sticky session that takes precedence.
 */
public record LoadBalanceSpec(LoadBalancePolicy policy, Optional<String> headerHashKey, Optional<String> cookieName,
                              Optional<StickySessionSpec> stickySession, Optional<HealthCheckSpec> healthCheck) {

    public static final LoadBalanceSpec DEFAULT = new LoadBalanceSpec(LoadBalancePolicy.ROUND_ROBIN, Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    static LoadBalanceSpec decode(SpecObject o) {
        String policyName = o.string("policy", LoadBalancePolicy.ROUND_ROBIN.policyName());
        Optional<LoadBalancePolicy> policy = LoadBalancePolicy.byName(policyName);
        if (policy.isEmpty()) {
            o.error("policy", "'" + policyName + "' is not a load-balancing policy (expected one of: "
                    + String.join(", ", Arrays.stream(LoadBalancePolicy.values()).map(LoadBalancePolicy::policyName).toList())
                    + ")");
        }
        Optional<String> headerHashKey = o.optionalString("headerHashKey");
        if (policy.orElse(null) == LoadBalancePolicy.HEADER_HASH && headerHashKey.isEmpty()) {
            o.error("headerHashKey", "is required with policy headerHash (the header whose value picks the server)");
        }
        // Without it, cookieHash is Easegress's: headerHash over the whole Cookie header.
        Optional<String> cookieName = o.optionalString("cookieName").filter(n -> !n.isEmpty());
        Optional<StickySessionSpec> sticky = o.object("stickySession").map(StickySessionSpec::decode);
        // Easegress has it here; the pool's own healthCheck takes precedence.
        Optional<HealthCheckSpec> healthCheck = o.object("healthCheck").map(HealthCheckSpec::decode);
        o.finish();
        return new LoadBalanceSpec(policy.orElse(LoadBalancePolicy.ROUND_ROBIN), headerHashKey, cookieName, sticky, healthCheck);
    }
}
