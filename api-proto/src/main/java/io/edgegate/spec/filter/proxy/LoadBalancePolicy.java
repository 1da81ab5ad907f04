package io.edgegate.spec.filter.proxy;

import java.util.Arrays;
import java.util.Optional;

/** Load-balancing policies, named as in Easegress. */
public enum LoadBalancePolicy {
    ROUND_ROBIN("roundRobin"),
    RANDOM("random"),
    WEIGHTED_RANDOM("weightedRandom"),
    IP_HASH("ipHash"),
    HEADER_HASH("headerHash"),
    /** EdgeGate's: the value of a cookie ({@code cookieName}) picks the server on a consistent-hash ring. */
    COOKIE_HASH("cookieHash"),
    /** EdgeGate's: the less busy of two random servers, by requests in flight (power of two choices). */
    LEAST_REQUESTS("leastRequests");

    private final String policyName;

    LoadBalancePolicy(String policyName) {
        this.policyName = policyName;
    }

    public String policyName() {
        return policyName;
    }

    public static Optional<LoadBalancePolicy> byName(String name) {
        return Arrays.stream(values()).filter(p -> p.policyName.equals(name)).findFirst();
    }
}
