package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.spec.filter.proxy.HealthCheckSpec;
import io.netty.channel.EventLoopGroup;
import java.util.List;

/** Starts health checkers, each on one event loop of the group (spread as the group hands them out). */
record HealthProbes(UpstreamClient client, EventLoopGroup loops) {

    HealthChecker checker(HealthCheckSpec spec, List<Upstream> servers) {
        HealthChecker checker = new HealthChecker(spec, servers, client, loops.next());
        checker.start();
        return checker;
    }
}
