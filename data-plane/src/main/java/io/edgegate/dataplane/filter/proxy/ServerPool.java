package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.RequestContext;
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

    ServerPool(PoolSpec spec) {
        this.servers = spec.selectedServers().stream().map(Upstream::of).toList();
        this.balancer = servers.isEmpty() ? null : LoadBalancers.create(spec.loadBalance(), servers);
    }

    /** The server for this request, or null when the pool has none. */
    Upstream pick(RequestContext context) {
        return balancer == null ? null : balancer.pick(context);
    }
}
