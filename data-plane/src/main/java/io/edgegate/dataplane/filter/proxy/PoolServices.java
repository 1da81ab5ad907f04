package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.registry.RegistryView;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.spec.filter.proxy.HealthCheckSpec;
import io.netty.channel.EventLoopGroup;
import java.util.List;

/**
 * What pools need from the node: the upstream client and event loops for health checks (each
 * checker on one loop of the group), and the service registries.
 */
record PoolServices(UpstreamClient client, EventLoopGroup loops, RegistryView registries) {

    HealthChecker checker(HealthCheckSpec spec, List<Upstream> servers) {
        HealthChecker checker = new HealthChecker(spec, servers, client, loops.next());
        checker.start();
        return checker;
    }
}
