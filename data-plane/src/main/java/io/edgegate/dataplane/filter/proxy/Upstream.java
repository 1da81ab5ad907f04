package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.upstream.UpstreamAddress;
import io.edgegate.spec.filter.proxy.ServerSpec;
import io.netty.util.NetUtil;

/**
 * A server of a pool, resolved from its spec once per config; {@code url} is the server
 * without path (e.g. {@code https://10.0.0.5:8443}), built here so requests do not build it.
 * {@code sendsClientHost}: requests to it carry the client's Host rather than the server's.
 */
record Upstream(UpstreamAddress address, String authority, String url, int weight, boolean sendsClientHost) {

    /** A server found by URL rather than configured (a redirect's Location, a forward proxy's target): sent its own host. */
    static Upstream of(java.net.URI url) {
        UpstreamAddress address = UpstreamAddress.of(url);
        String authority = url.getRawAuthority();
        return new Upstream(address, authority, (address.tls() ? "https://" : "http://") + authority, 1, false);
    }

    /**
     * A pool's server. As Easegress, one given by IP address receives the client's Host (a name-based virtual host
     * behind it still sees the name asked for), one given by name its own; {@code keepHost} sends the client's
     * always, the pool's {@code setUpstreamHost} the server's unless the server keeps the client's.
     */
    static Upstream of(ServerSpec spec, boolean setUpstreamHost) {
        boolean tls = "https".equals(spec.uri().getScheme());
        boolean byAddress = NetUtil.isValidIpV4Address(spec.host()) || NetUtil.isValidIpV6Address(spec.host());
        return new Upstream(new UpstreamAddress(spec.host(), spec.port(), tls), spec.authority(),
                (tls ? "https://" : "http://") + spec.authority(), spec.weight(), spec.keepHost() || (byAddress && !setUpstreamHost));
    }
}
