package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.resilience.ResiliencePolicies;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A pool of upstream servers with its load-balancing policy. {@code serverTags} keeps only
 * servers carrying at least one of the tags; empty keeps all of them (Easegress #711).
 * {@code serviceRegistry}/{@code serviceName} name where instances come from; the static
 * {@code servers} are the fallback while the registry has none. A pool with a {@code filter}
 * is a candidate: it takes the requests the filter selects. {@code timeout} bounds the wait
 * for a server's answer (its response head): past it the client gets 504 and the upstream
 * connection is closed. {@code spanName} names the tracing span of each request sent to the
 * pool (default: the HTTP method, as OpenTelemetry's conventions name client spans).
 * {@code setUpstreamHost}: servers given by IP address receive the server's host too (by default
 * they receive the client's, as in Easegress). {@code serverMaxBodySize}: see {@link ServerBodyLimit}.
 */
public record PoolSpec(
        List<ServerSpec> servers,
        List<String> serverTags,
        LoadBalanceSpec loadBalance,
        Optional<String> serviceRegistry,
        Optional<String> serviceName,
        Optional<PoolFilterSpec> filter,
        Optional<MemoryCacheSpec> memoryCache,
        Optional<Duration> timeout,
        Optional<HealthCheckSpec> healthCheck,
        PoolResilience resilience,
        Optional<OutlierDetectionSpec> outlierDetection,
        Optional<String> spanName,
        boolean setUpstreamHost,
        long serverMaxBodySize) {

    public static final PoolSpec EMPTY = new PoolSpec(List.of(), List.of(), LoadBalanceSpec.DEFAULT, Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), PoolResilience.NONE,
            Optional.empty(), Optional.empty(), false, ServerBodyLimit.NONE);

    public PoolSpec {
        servers = List.copyOf(servers);
        serverTags = List.copyOf(serverTags);
    }

    /** The static servers this pool may use after tag selection. */
    public List<ServerSpec> selectedServers() {
        if (serverTags.isEmpty()) {
            return servers;
        }
        return servers.stream().filter(s -> s.tags().stream().anyMatch(serverTags::contains)).toList();
    }

    /** This pool with the Proxy's own failureCodes (Easegress v1) unless it names its own. */
    PoolSpec withDefaultFailureCodes(java.util.Set<Integer> codes) {
        return new PoolSpec(servers, serverTags, loadBalance, serviceRegistry, serviceName, filter, memoryCache, timeout, healthCheck,
                resilience.withDefaultFailureCodes(codes), outlierDetection, spanName, setUpstreamHost, serverMaxBodySize);
    }

    /** This pool with its resilience policies resolved against the pipeline's. */
    PoolSpec withResilience(ResiliencePolicies policies) {
        return new PoolSpec(servers, serverTags, loadBalance, serviceRegistry, serviceName, filter, memoryCache, timeout, healthCheck,
                resilience.resolve(policies), outlierDetection, spanName, setUpstreamHost, serverMaxBodySize);
    }

    public static PoolSpec decode(SpecObject o) {
        return decode(o, false);
    }

    /** A pool of a Proxy, or with {@code webSocket} of a WebSocketProxy (ws:// and wss:// servers). */
    public static PoolSpec decode(SpecObject o, boolean webSocket) {
        return decode(o, webSocket, PoolFilterSpec::decode);
    }

    /**
     * A pool of a GRPCProxy: Easegress's gRPC pool has no health checks (HTTP probes do not speak
     * gRPC), cache, retries or outlier detection, and its filter matches {@code methods}.
     */
    public static PoolSpec decodeGrpc(SpecObject o) {
        List.of("healthCheck", "memoryCache", "retryPolicy", "outlierDetection", "failureCodes", "serverMaxBodySize").stream()
                .filter(o::has).forEach(key ->
                o.error(key, "is not a field of a GRPCProxy pool (Easegress's gRPC pools have servers, loadBalance, "
                        + "serviceRegistry, filter and circuitBreakerPolicy)"));
        return decode(o, false, PoolFilterSpec::decodeGrpc);
    }

    /** This pool, waiting at most {@code wait} for a server's answer to start. */
    public PoolSpec withTimeout(Duration wait) {
        return new PoolSpec(servers, serverTags, loadBalance, serviceRegistry, serviceName, filter, memoryCache, Optional.of(wait),
                healthCheck, resilience, outlierDetection, spanName, setUpstreamHost, serverMaxBodySize);
    }

    /** This pool with the Proxy's serverMaxBodySize unless it sets its own (Easegress: a pool's 0 means the Proxy's, -1 streams). */
    PoolSpec withDefaultServerMaxBodySize(long proxyLimit) {
        if (serverMaxBodySize != ServerBodyLimit.NONE || proxyLimit <= 0) {
            return this;
        }
        return new PoolSpec(servers, serverTags, loadBalance, serviceRegistry, serviceName, filter, memoryCache, timeout,
                healthCheck, resilience, outlierDetection, spanName, setUpstreamHost, proxyLimit);
    }

    /** Whether answers larger than {@link #serverMaxBodySize()} are refused (else they stream without a limit). */
    public boolean limitsServerBodies() {
        return serverMaxBodySize > 0;
    }

    private static PoolSpec decode(SpecObject o, boolean webSocket, java.util.function.Function<SpecObject, PoolFilterSpec> filters) {
        long serverMaxBodySize = ServerBodyLimit.decode(o);
        o.unsupported("it is a field of the Proxy, as in Easegress: move it up beside the pools", "maxIdleConnsPerHost");
        List<ServerSpec> servers = o.list("servers", n -> ServerSpec.decode(n.asObject(), webSocket));
        // Easegress's WebSocket pools read no setUpstreamHost: the handshake carries the client's Host to an address.
        boolean setUpstreamHost = o.bool("setUpstreamHost", false) && !webSocket;
        List<String> serverTags = o.stringList(o.has("serversTags") && !o.has("serverTags") ? "serversTags" : "serverTags");
        LoadBalanceSpec loadBalance = o.object("loadBalance").map(LoadBalanceSpec::decode).orElse(LoadBalanceSpec.DEFAULT);
        Optional<String> serviceRegistry = o.optionalString("serviceRegistry");
        Optional<String> serviceName = o.optionalString("serviceName");
        Optional<PoolFilterSpec> filter = o.object("filter").map(filters);
        Optional<MemoryCacheSpec> memoryCache = o.object("memoryCache").map(MemoryCacheSpec::decode);
        Optional<Duration> timeout = o.has("timeout") ? Optional.of(o.duration("timeout", Duration.ZERO)) : Optional.empty();
        PoolResilience resilience = PoolResilience.decode(o);
        Optional<OutlierDetectionSpec> outlierDetection = o.object("outlierDetection").map(OutlierDetectionSpec::decode);
        Optional<String> spanName = o.optionalString("spanName");
        Optional<HealthCheckSpec> healthCheck = o.object("healthCheck")
                .map(webSocket ? HealthCheckSpec::decodeWebSocket : HealthCheckSpec::decode).or(loadBalance::healthCheck);
        if (timeout.isPresent() && (timeout.get().isZero() || timeout.get().isNegative())) {
            o.error("timeout", "must be positive (how long to wait for the server's answer, e.g. 2s)");
        }
        // Unknown keys first: a misspelt serviceRegistry explains the errors that follow from its absence.
        o.finish();
        if (serviceRegistry.isPresent() && serviceName.isEmpty()) {
            o.error("serviceName", "is required with serviceRegistry (the service whose instances form the pool)");
        }
        if (serviceName.isPresent() && serviceRegistry.isEmpty()) {
            o.error("serviceRegistry", "is required with serviceName (the registry that lists the service)");
        }
        PoolSpec pool = new PoolSpec(servers, serverTags, loadBalance, serviceRegistry, serviceName, filter, memoryCache, timeout,
                healthCheck, resilience, outlierDetection, spanName, setUpstreamHost, serverMaxBodySize);
        if (serviceRegistry.isEmpty()) {
            if (servers.isEmpty()) {
                o.error("servers", "a pool needs at least one server, or a serviceRegistry and serviceName");
            } else if (pool.selectedServers().isEmpty()) {
                o.error("serverTags", "no server carries any of the tags " + serverTags);
            }
        }
        return pool;
    }
}
