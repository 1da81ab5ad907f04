package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.RequestContext;
import io.netty.handler.codec.http.HttpResponse;
import io.edgegate.spec.filter.proxy.PoolSpec;
import java.util.List;

/**
 * The servers a pool may use, with its balancer. Servers come from the spec's static list
 * after tag selection; a pool that names a service registry uses the same static list as its
 * fallback until registries exist on this node.
 */
final class ServerPool {

    private final List<Upstream> servers;
    private final LoadBalancer balancer;
    /** Null unless the pool has a stickySession. */
    private final StickySessions sticky;
    /** Null unless the pool has a memoryCache. */
    private final ResponseCache cache;
    /** Null without health checks: every server is in the rotation. */
    private final HealthChecker health;
    /** Long.MAX_VALUE: no limit of its own. */
    private final long timeoutNanos;

    /** {@code probes} runs the pool's health checks, when it has any. */
    ServerPool(PoolSpec spec, HealthProbes probes) {
        this.servers = spec.selectedServers().stream().map(Upstream::of).toList();
        this.health = spec.healthCheck().filter(h -> !servers.isEmpty()).map(h -> probes.checker(h, servers)).orElse(null);
        this.balancer = servers.isEmpty() ? null : LoadBalancers.create(spec.loadBalance(), servers);
        this.sticky = servers.isEmpty() ? null : spec.loadBalance().stickySession()
                .map(s -> new StickySessions(s, servers.toArray(Upstream[]::new))).orElse(null);
        this.cache = spec.memoryCache().map(ResponseCache::new).orElse(null);
        this.timeoutNanos = spec.timeout().map(java.time.Duration::toNanos).orElse(Long.MAX_VALUE);
    }

    /** How long this pool's servers may take to answer (their response head). */
    long timeoutNanos() {
        return timeoutNanos;
    }

    ResponseCache cache() {
        return cache;
    }

    /** The server for this request (the one its session is bound to, else the balancer's choice), or null when the pool has none. */
    Upstream pick(RequestContext context) {
        if (balancer == null) {
            return null;
        }
        Upstream bound = sticky == null ? null : sticky.boundServer(context);
        Upstream server = bound != null ? bound : balancer.pick(context);
        if (health != null && !health.isUp(server)) {
            server = healthyInstead(context);
            if (server == null) {
                return null;
            }
        }
        balancer.started(server);
        return server;
    }

    /**
     * Another pick from the balancer, a few times (it spreads like the policy), then the first
     * healthy server in order (hash policies keep answering the same one). Null when none is up:
     * the client gets 503 at once rather than a wait on a dead server.
     */
    private Upstream healthyInstead(RequestContext context) {
        for (int i = 0; i < servers.size(); i++) {
            Upstream again = balancer.pick(context);
            if (health.isUp(again)) {
                return again;
            }
        }
        for (Upstream server : servers) {
            if (health.isUp(server)) {
                return server;
            }
        }
        return null;
    }

    /** Stops the health checks. */
    void close() {
        if (health != null) {
            health.close();
        }
    }

    /** The exchange with {@code server} has its answer ({@code head}), or failed ({@code head} null). */
    void finished(Upstream server, HttpResponse head) {
        balancer.finished(server);
        if (sticky != null && head != null) {
            sticky.onResponse(server, head);
        }
    }
}
