package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.registry.RegistryView;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.spec.filter.proxy.HealthCheckSpec;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.Set;

/**
 * What pools need from the node: the upstream client and event loops for health checks (each
 * checker on one loop of the group), and the service registries.
 */
record PoolServices(UpstreamClient client, EventLoopGroup loops, RegistryView registries) {

    /** A running checker of {@code servers}; those in {@code startDown} start out of the rotation. */
    HealthChecker checker(HealthCheckSpec spec, List<Upstream> servers, Set<String> startDown) {
        HealthChecker checker = new HealthChecker(spec, servers, client, loops.next(), startDown);
        checker.start();
        return checker;
    }
}
