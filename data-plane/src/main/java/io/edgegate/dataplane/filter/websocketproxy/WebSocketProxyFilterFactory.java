package io.edgegate.dataplane.filter.websocketproxy;

import io.edgegate.dataplane.filter.proxy.ProxyFilterFactory;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.dataplane.pipeline.FilterScope;
import io.edgegate.spec.filter.websocketproxy.WebSocketProxySpec;

/** Builds WebSocketProxy filters over a Proxy of the same pools (and the node's upstream connections). */
public final class WebSocketProxyFilterFactory implements FilterFactory<WebSocketProxySpec> {

    private final ProxyFilterFactory proxies;

    public WebSocketProxyFilterFactory(ProxyFilterFactory proxies) {
        this.proxies = proxies;
    }

    @Override
    public String kind() {
        return WebSocketProxySpec.KIND;
    }

    @Override
    public Class<WebSocketProxySpec> specType() {
        return WebSocketProxySpec.class;
    }

    @Override
    public Filter create(WebSocketProxySpec spec) {
        return new WebSocketProxyFilter(spec, proxies.create(spec.proxy()));
    }

    @Override
    public Filter create(WebSocketProxySpec spec, FilterScope scope) {
        return new WebSocketProxyFilter(spec, proxies.create(spec.proxy(), scope));
    }
}
