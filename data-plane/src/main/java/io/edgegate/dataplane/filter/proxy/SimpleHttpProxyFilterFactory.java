package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.spec.filter.simplehttpproxy.SimpleHttpProxySpec;

/** Builds SimpleHTTPProxy filters over the node's upstream connections. */
public final class SimpleHttpProxyFilterFactory implements FilterFactory<SimpleHttpProxySpec> {

    private final UpstreamClient client;

    public SimpleHttpProxyFilterFactory(UpstreamClient client) {
        this.client = client;
    }

    @Override
    public String kind() {
        return SimpleHttpProxySpec.KIND;
    }

    @Override
    public Class<SimpleHttpProxySpec> specType() {
        return SimpleHttpProxySpec.class;
    }

    @Override
    public Filter create(SimpleHttpProxySpec spec) {
        return new SimpleHttpProxyFilter(spec, client);
    }
}
