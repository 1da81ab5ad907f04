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
    /** Long.MAX_VALUE: no limit of its own. */
    private final long timeoutNanos;

    ServerPool(PoolSpec spec) {
        this.servers = spec.selectedServers().stream().map(Upstream::of).toList();
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
        balancer.started(server);
        return server;
    }

    /** The exchange with {@code server} has its answer ({@code head}), or failed ({@code head} null). */
    void finished(Upstream server, HttpResponse head) {
        balancer.finished(server);
        if (sticky != null && head != null) {
            sticky.onResponse(server, head);
        }
    }
}
