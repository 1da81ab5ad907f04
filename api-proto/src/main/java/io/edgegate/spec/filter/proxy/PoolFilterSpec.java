package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.match.StringMatcherSpec;
import io.edgegate.spec.match.UrlMatchSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which requests a candidate pool takes (canary releases), in Easegress's two forms.
 * Conditions: {@code headers} (name → StringMatcher; any one, or all with
 * {@code matchAllHeaders}) and {@code urls} (methods and a StringMatcher on the path; any
 * one). Share: {@code permil} of requests (0–1000) drawn by {@code policy} {@code random},
 * {@code ipHash} or {@code headerHash} (+{@code headerHashKey}), the hashed ones keeping a
 * client on its side. v2 writes the share as the filter's {@code policy} and {@code permil};
 * v1 as {@code probability: {perMill, policy}}. A request must meet the conditions and fall in
 * the share, where each is given.
 */
public record PoolFilterSpec(Map<String, StringMatcherSpec> headers, boolean matchAllHeaders, List<UrlMatchSpec> urls,
                             Optional<Share> share) {

    /** A share of requests: {@code permil} of 1000 by {@code policy}. */
    public record Share(SharePolicy policy, int permil, Optional<String> headerHashKey) {
    }

    public enum SharePolicy { RANDOM, IP_HASH, HEADER_HASH }

    public PoolFilterSpec {
        headers = Map.copyOf(headers);
        urls = List.copyOf(urls);
    }

    static PoolFilterSpec decode(SpecObject o) {
        Map<String, StringMatcherSpec> headers = headers(o);
        boolean matchAll = o.bool("matchAllHeaders", false);
        List<UrlMatchSpec> urls = o.list("urls", n -> {
            SpecObject u = n.asObject();
            UrlMatchSpec url = UrlMatchSpec.readFields(u);
            u.finish();
            return url;
        });
        Optional<Share> share = Optional.empty();
        String policy = o.string("policy", "general");
        if (!policy.equals("general")) {
            share = share(o, policy, o.integer("permil", 0, 0, 1000), "policy");
        }
        Optional<SpecObject> probability = o.object("probability");
        if (probability.isPresent()) {
            SpecObject p = probability.get();
            share = share(p, p.string("policy", "random"), p.integer("perMill", 0, 0, 1000), "policy");
            p.finish();
        }
        if (headers.isEmpty() && urls.isEmpty() && share.isEmpty()) {
            o.error("a candidate pool's filter needs headers, urls or a share (policy + permil, or probability)");
        }
        o.finish();
        return new PoolFilterSpec(headers, matchAll, urls, share);
    }

    /**
     * A GRPCProxy pool's filter: {@code headers} (gRPC metadata), {@code methods} (StringMatchers on
     * the full method name, which is the request's path) and a share, as Easegress's gRPC matcher.
     */
    static PoolFilterSpec decodeGrpc(SpecObject o) {
        Map<String, StringMatcherSpec> headers = headers(o);
        boolean matchAll = o.bool("matchAllHeaders", false);
        List<UrlMatchSpec> methods = o.list("methods", n -> new UrlMatchSpec(List.of(), StringMatcherSpec.decode(n.asObject())));
        Optional<Share> share = Optional.empty();
        String policy = o.string("policy", "general");
        if (!policy.equals("general") && !policy.isEmpty()) {
            share = share(o, policy, o.integer("permil", 0, 0, 1000), "policy");
        }
        if (headers.isEmpty() && methods.isEmpty() && share.isEmpty()) {
            o.error("a candidate pool's filter needs headers, methods or a share (policy + permil)");
        }
        o.finish();
        return new PoolFilterSpec(headers, matchAll, methods, share);
    }

    private static Map<String, StringMatcherSpec> headers(SpecObject o) {
        Map<String, StringMatcherSpec> headers = new LinkedHashMap<>();
        o.object("headers").ifPresent(h -> {
            for (String key : h.keys()) {
                headers.put(key, StringMatcherSpec.decode(h.field(key).asObject()));
            }
        });
        return headers;
    }

    private static Optional<Share> share(SpecObject o, String policyName, int permil, String key) {
        SharePolicy policy = switch (policyName) {
            case "random" -> SharePolicy.RANDOM;
            case "ipHash" -> SharePolicy.IP_HASH;
            case "headerHash" -> SharePolicy.HEADER_HASH;
            default -> {
                o.error(key, "'" + policyName + "' is not a filter policy (expected one of: "
                        + String.join(", ", Set.of("general", "random", "ipHash", "headerHash").stream().sorted().toList()) + ")");
                yield SharePolicy.RANDOM;
            }
        };
        Optional<String> hashKey = o.optionalString("headerHashKey").filter(k -> !k.isEmpty());
        if (policy == SharePolicy.HEADER_HASH && hashKey.isEmpty()) {
            o.error("headerHashKey", "is required with policy headerHash");
        }
        return Optional.of(new Share(policy, permil, hashKey));
    }
}
