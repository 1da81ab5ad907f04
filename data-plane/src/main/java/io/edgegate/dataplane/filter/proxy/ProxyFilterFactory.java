package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterScope;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.dataplane.registry.RegistryView;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.netty.channel.EventLoopGroup;

/** Builds Proxy filters; they share the node's upstream connection pools, which outlive config changes. */
public final class ProxyFilterFactory implements FilterFactory<ProxySpec> {

    private final UpstreamClient client;
    private final PoolServices services;

    /** Health checks run on the event loops of {@code probeLoops}; pools naming a registry find it in {@code registries}. */
    public ProxyFilterFactory(UpstreamClient client, EventLoopGroup probeLoops, RegistryView registries) {
        this.client = client;
        this.services = new PoolServices(client, probeLoops, registries);
    }

    @Override
    public String kind() {
        return ProxySpec.KIND;
    }

    @Override
    public Class<ProxySpec> specType() {
        return ProxySpec.class;
    }

    @Override
    public Filter create(ProxySpec spec) {
        return create(spec, new FilterScope("", new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }

    @Override
    public Filter create(ProxySpec spec, FilterScope scope) {
        return new ProxyFilter(spec, client, services, scope);
    }
}
