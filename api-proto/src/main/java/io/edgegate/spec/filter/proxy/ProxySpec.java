package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.fallback.FallbackSpec;
import io.edgegate.spec.filter.resilience.ResiliencePolicies;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import io.edgegate.spec.HttpTokens;

/**
 * The Proxy filter: sends the request to a server of its pool. v1 ({@code HTTPPipeline})
 * writes the pool as {@code mainPool}, v2 ({@code Pipeline}) as the one entry of
 * {@code pools} without a {@code filter}; both forms are accepted in both kinds. Candidate
 * pools (v1 {@code candidatePools}, v2 the {@code pools} with a {@code filter}) are tried in
 * order and the first whose filter selects the request takes it; {@code mirrorPool} gets a
 * copy of each request its {@code filter} selects (Easegress requires the filter; without one
 * every request is copied), whose answer is ignored. EdgeGate
 * adds {@code upstreamHeader}: a response header, off by default, that names the server
 * that answered (for debugging; it reveals internal addresses to clients).
 */
public record ProxySpec(String name, PoolSpec mainPool, List<PoolSpec> candidatePools, Optional<PoolSpec> mirrorPool,
                        Optional<CompressionSpec> compression, Optional<String> upstreamHeader, IdleConnectionsSpec idle,
                        int maxRedirection, Optional<FallbackSpec> fallback)
        implements FilterSpec {

    /**
     * A Proxy that does not follow redirects: the upstream's 3xx goes to the client, as NGINX
     * passes it (Easegress, through Go's HTTP client, follows up to 10 unless maxRedirection says).
     */
    public static final int NO_REDIRECTS = 0;

    public ProxySpec(String name, PoolSpec mainPool, List<PoolSpec> candidatePools, Optional<PoolSpec> mirrorPool,
                     Optional<CompressionSpec> compression, Optional<String> upstreamHeader, IdleConnectionsSpec idle) {
        this(name, mainPool, candidatePools, mirrorPool, compression, upstreamHeader, idle, NO_REDIRECTS, Optional.empty());
    }

    public static final String KIND = "Proxy";
    public static final String RESULT_INTERNAL_ERROR = "internalError";
    public static final String RESULT_CLIENT_ERROR = "clientError";
    public static final String RESULT_SERVER_ERROR = "serverError";
    public static final String RESULT_FAILURE_CODE = "failureCode";
    /** A pool's circuit is open: 503 without calling a server. */
    public static final String RESULT_SHORT_CIRCUITED = "shortCircuited";
    /** Easegress v1: a failure code was answered with the Proxy's own fallback. */
    public static final String RESULT_FALLBACK = "fallback";
    /** Easegress v2: no answer within the pool's timeout (a v1 HTTPPipeline's Proxy says serverError, as Easegress v1). */
    public static final String RESULT_TIMEOUT = "timeout";

    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND,
            Set.of(RESULT_INTERNAL_ERROR, RESULT_CLIENT_ERROR, RESULT_SERVER_ERROR, RESULT_FAILURE_CODE, RESULT_SHORT_CIRCUITED,
                    RESULT_FALLBACK, RESULT_TIMEOUT),
            ProxySpec::decode);

    public ProxySpec {
        candidatePools = List.copyOf(candidatePools);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public ProxySpec withResilience(ResiliencePolicies policies) {
        return new ProxySpec(name, mainPool.withResilience(policies), candidatePools.stream().map(p -> p.withResilience(policies)).toList(),
                mirrorPool, compression, upstreamHeader, idle, maxRedirection, fallback);
    }

    static ProxySpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        Optional<CompressionSpec> compression = o.object("compression").map(CompressionSpec::decode);
        o.unsupported("upstream client certificates and a CA to verify upstreams against are planned; https servers are not verified, as with NGINX's default", "mtls");
        IdleConnectionsSpec idle = IdleConnectionsSpec.decode(o);
        // Easegress's maxRedirection: redirects the upstream answers are followed, up to this many (0 or less: none).
        int maxRedirection = Math.max(NO_REDIRECTS, o.integer("maxRedirection", NO_REDIRECTS, Integer.MIN_VALUE, 100));
        long serverMaxBodySize = ServerBodyLimit.decode(o);
        // Easegress v1: failureCodes of the whole Proxy (each pool's own come first) and a fallback for them.
        Set<Integer> failureCodes = Set.copyOf(o.list("failureCodes", n -> n.asInt(100, 599)));
        Optional<FallbackSpec> fallback = o.object("fallback").flatMap(f -> {
            boolean forCodes = f.bool("forCodes", false);
            FallbackSpec mock = FallbackSpec.decodeMock(name, f);
            f.finish();
            return forCodes ? Optional.of(mock) : Optional.empty();
        });
        if (o.has("fallback") && failureCodes.isEmpty()) {
            o.error("fallback", "fallback needs failureCodes");
        }
        Optional<String> upstreamHeader = o.optionalString("upstreamHeader").filter(h -> !h.isEmpty());
        upstreamHeader.filter(h -> !HttpTokens.isHeaderName(h))
                .ifPresent(h -> o.error("upstreamHeader", "'" + h + "' is not a header name"));
        Optional<PoolSpec> mirror = o.object("mirrorPool").map(PoolSpec::decode);
        mirror.filter(m -> m.resilience().retryPolicy().isPresent() || m.resilience().circuitBreakerPolicy().isPresent())
                .ifPresent(m -> o.error("mirrorPool", "a mirror's answers are ignored, so retryPolicy and circuitBreakerPolicy do not apply to it"));
        // As Easegress (v1 and v2) refuses them: a mirror says which requests it copies, and its answers are never served from a cache.
        mirror.filter(m -> m.filter().isEmpty()).ifPresent(m -> o.error("mirrorPool.filter",
                "is required: it says which requests are copied (filter: {permil: 1000, policy: random} copies every one)"));
        mirror.filter(m -> m.memoryCache().isPresent()).ifPresent(m -> o.error("mirrorPool.memoryCache", "must be empty in mirrorPool"));
        boolean hasMain = o.has("mainPool");
        boolean hasPools = o.has("pools");
        if (hasMain && hasPools) {
            o.error("set either mainPool (HTTPPipeline form) or pools (Pipeline form), not both");
            return new ProxySpec(name, PoolSpec.EMPTY, List.of(), mirror, compression, upstreamHeader, idle);
        }
        if (hasMain) {
            PoolSpec main = PoolSpec.decode(o.object("mainPool").orElseThrow());
            if (main.filter().isPresent()) {
                o.error("mainPool.filter", "the main pool takes what no candidate takes: move the filter to a candidate pool");
            }
            List<PoolSpec> candidates = o.list("candidatePools", n -> PoolSpec.decode(n.asObject()));
            for (int i = 0; i < candidates.size(); i++) {
                if (candidates.get(i).filter().isEmpty()) {
                    o.error("candidatePools[" + i + "].filter", "is required: it says which requests this pool takes");
                }
            }
            return new ProxySpec(name, main.withDefaultFailureCodes(failureCodes).withDefaultServerMaxBodySize(serverMaxBodySize),
                    candidates.stream().map(c -> c.withDefaultFailureCodes(failureCodes).withDefaultServerMaxBodySize(serverMaxBodySize))
                            .toList(), mirror, compression, upstreamHeader, idle, maxRedirection, fallback);
        }
        if (hasPools) {
            List<PoolSpec> pools = o.list("pools", n -> PoolSpec.decode(n.asObject()));
            List<PoolSpec> mains = pools.stream().filter(p -> p.filter().isEmpty()).toList();
            if (mains.size() != 1 && !pools.isEmpty()) {
                o.error("pools", "exactly one pool must have no filter (the main pool); found " + mains.size());
            }
            if (!pools.isEmpty()) {
                return new ProxySpec(name, (mains.isEmpty() ? pools.get(0) : mains.get(0)).withDefaultFailureCodes(failureCodes)
                        .withDefaultServerMaxBodySize(serverMaxBodySize),
                        pools.stream().filter(p -> p.filter().isPresent())
                                .map(p -> p.withDefaultFailureCodes(failureCodes).withDefaultServerMaxBodySize(serverMaxBodySize)).toList(),
                        mirror, compression, upstreamHeader, idle, maxRedirection, fallback);
            }
        }
        o.error(pipelineKind == ObjectKind.PIPELINE ? "pools" : "mainPool",
                "a Proxy needs a pool of servers (" + (pipelineKind == ObjectKind.PIPELINE
                        ? "pools: [{servers: [{url: http://host:port}]}]"
                        : "mainPool: {servers: [{url: http://host:port}]}") + ")");
        return new ProxySpec(name, PoolSpec.EMPTY, List.of(), mirror, compression, upstreamHeader, idle);
    }
}
