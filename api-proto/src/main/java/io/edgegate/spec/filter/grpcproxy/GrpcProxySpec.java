package io.edgegate.spec.filter.grpcproxy;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecNode;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.proxy.IdleConnectionsSpec;
import io.edgegate.spec.filter.proxy.PoolSpec;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.edgegate.spec.filter.resilience.ResiliencePolicies;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * GRPCProxy (Easegress v2): gRPC calls (unary and streaming) proxied over HTTP/2 to pools of
 * servers, chosen as a Proxy chooses: the pool without a {@code filter} is the main one, others
 * take the calls their filter selects ({@code headers}, {@code methods} — StringMatchers on the
 * full method name {@code /package.Service/Method} — and {@code policy} with {@code permil}),
 * then {@code loadBalance} picks a server. {@code timeout} bounds the wait for the server's
 * answer to start. When the proxy itself cannot complete a call, the client gets a gRPC status
 * (UNAVAILABLE, DEADLINE_EXCEEDED…) rather than an HTTP error. Easegress serves these calls from
 * a GRPCServer object; here any HTTPServer route serves them (HTTP/2 over TLS or h2c).
 */
public record GrpcProxySpec(String name, ProxySpec proxy, int maxIdleConnsPerHost) implements FilterSpec {

    public static final String KIND = "GRPCProxy";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(ProxySpec.RESULT_INTERNAL_ERROR,
            ProxySpec.RESULT_CLIENT_ERROR, ProxySpec.RESULT_SERVER_ERROR, ProxySpec.RESULT_SHORT_CIRCUITED), GrpcProxySpec::decode);
    /** Easegress's default. */
    public static final int DEFAULT_MAX_IDLE_CONNS_PER_HOST = 1024;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public GrpcProxySpec withResilience(ResiliencePolicies policies) {
        return new GrpcProxySpec(name, proxy.withResilience(policies), maxIdleConnsPerHost);
    }

    static GrpcProxySpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        Optional<Duration> timeout = positive(o, "timeout");
        // Calls are streams multiplexed on one HTTP/2 connection per server and event loop: none waits to borrow one.
        positive(o, "borrowTimeout");
        o.unsupported("connections are made with the node's connect timeout; a per-filter one is not built", "connectTimeout");
        int maxIdle = o.integer("maxIdleConnsPerHost", DEFAULT_MAX_IDLE_CONNS_PER_HOST, 1, 1_000_000);
        List<PoolSpec> pools = new ArrayList<>();
        List<SpecNode> nodes = o.list("pools", n -> n);
        for (int i = 0; i < nodes.size(); i++) {
            SpecObject pool = nodes.get(i).asObject();
            PoolSpec decoded = PoolSpec.decodeGrpc(pool);
            pools.add(timeout.isPresent() && decoded.timeout().isEmpty() ? decoded.withTimeout(timeout.get()) : decoded);
        }
        List<PoolSpec> mains = pools.stream().filter(p -> p.filter().isEmpty()).toList();
        if (pools.isEmpty()) {
            o.error("pools", "a GRPCProxy needs a pool of servers (pools: [{servers: [{url: http://host:port}]}])");
        } else if (mains.size() != 1) {
            o.error("pools", "exactly one pool must have no filter (the main pool); found " + mains.size());
        }
        PoolSpec main = mains.isEmpty() ? (pools.isEmpty() ? PoolSpec.EMPTY : pools.get(0)) : mains.get(0);
        List<PoolSpec> candidates = pools.stream().filter(p -> p.filter().isPresent()).toList();
        ProxySpec proxy = new ProxySpec(name, main, candidates, Optional.empty(), Optional.empty(), Optional.empty(),
                new IdleConnectionsSpec(0, maxIdle));
        return new GrpcProxySpec(name, proxy, maxIdle);
    }

    private static Optional<Duration> positive(SpecObject o, String key) {
        if (!o.has(key)) {
            return Optional.empty();
        }
        Duration value = o.duration(key, Duration.ZERO);
        if (value.isZero() || value.isNegative()) {
            o.error(key, "must be positive, e.g. 5s");
            return Optional.empty();
        }
        return Optional.of(value);
    }
}
