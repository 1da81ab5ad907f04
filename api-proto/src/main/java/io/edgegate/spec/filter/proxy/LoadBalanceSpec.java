package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.codec.SpecObject;
import java.util.Arrays;
import java.util.Optional;

/** How a pool picks a server. */
public record LoadBalanceSpec(LoadBalancePolicy policy, Optional<String> headerHashKey) {

    public static final LoadBalanceSpec DEFAULT = new LoadBalanceSpec(LoadBalancePolicy.ROUND_ROBIN, Optional.empty());

    static LoadBalanceSpec decode(SpecObject o) {
        o.unsupported("sticky sessions arrive with the traffic-shaping issue", "stickySession");
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
        o.finish();
        return new LoadBalanceSpec(policy.orElse(LoadBalancePolicy.ROUND_ROBIN), headerHashKey);
    }
}
