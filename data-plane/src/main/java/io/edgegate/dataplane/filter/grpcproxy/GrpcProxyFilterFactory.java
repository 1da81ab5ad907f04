package io.edgegate.dataplane.filter.grpcproxy;

import io.edgegate.dataplane.filter.proxy.ProxyFilterFactory;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.dataplane.pipeline.FilterScope;
import io.edgegate.spec.filter.grpcproxy.GrpcProxySpec;

/** Builds GRPCProxy filters over a Proxy of the same pools (and the node's HTTP/2 upstream connections). */
public final class GrpcProxyFilterFactory implements FilterFactory<GrpcProxySpec> {

    private final ProxyFilterFactory proxies;

    public GrpcProxyFilterFactory(ProxyFilterFactory proxies) {
        this.proxies = proxies;
    }

    @Override
    public String kind() {
        return GrpcProxySpec.KIND;
    }

    @Override
    public Class<GrpcProxySpec> specType() {
        return GrpcProxySpec.class;
    }

    @Override
    public Filter create(GrpcProxySpec spec) {
        return new GrpcProxyFilter(proxies.create(spec.proxy()));
    }

    @Override
    public Filter create(GrpcProxySpec spec, FilterScope scope) {
        return new GrpcProxyFilter(proxies.create(spec.proxy(), scope));
    }
}
