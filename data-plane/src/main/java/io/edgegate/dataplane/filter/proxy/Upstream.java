package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.upstream.UpstreamAddress;
import io.edgegate.spec.filter.proxy.ServerSpec;

/**
 * A server of a pool, resolved from its spec once per config; {@code url} is the server
 * without path (e.g. {@code https://10.0.0.5:8443}), built here so requests do not build it.
 */
record Upstream(UpstreamAddress address, String authority, String url, int weight, boolean keepHost) {

    /** A server found by URL rather than configured (a redirect's Location, a forward proxy's target). */
    static Upstream of(java.net.URI url) {
        UpstreamAddress address = UpstreamAddress.of(url);
        String authority = url.getRawAuthority();
        return new Upstream(address, authority, (address.tls() ? "https://" : "http://") + authority, 1, false);
    }

    static Upstream of(ServerSpec spec) {
        boolean tls = "https".equals(spec.uri().getScheme());
        return new Upstream(new UpstreamAddress(spec.host(), spec.port(), tls), spec.authority(),
                (tls ? "https://" : "http://") + spec.authority(), spec.weight(), spec.keepHost());
    }
}
