package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.upstream.UpstreamAddress;
import io.edgegate.spec.filter.proxy.ServerSpec;

/** A server of a pool, resolved from its spec once per config. */
record Upstream(UpstreamAddress address, String authority, int weight, boolean keepHost) {

    static Upstream of(ServerSpec spec) {
        return new Upstream(new UpstreamAddress(spec.host(), spec.port(), "https".equals(spec.uri().getScheme())), spec.authority(), spec.weight(), spec.keepHost());
    }
}
