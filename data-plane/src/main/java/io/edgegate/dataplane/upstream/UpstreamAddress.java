package io.edgegate.dataplane.upstream;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;

/**
 * Where an upstream server listens and whether it speaks TLS. Host names are resolved
 * asynchronously when connecting.
 */
public record UpstreamAddress(String host, int port, boolean tls) {

    public UpstreamAddress {
        requireNonNull(host, "host");
    }

    /** Where an http or https URL points: its host (IPv6 without brackets), its port or the scheme's. */
    public static UpstreamAddress of(java.net.URI url) {
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
        String host = url.getHost();
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new UpstreamAddress(host, url.getPort() > 0 ? url.getPort() : tls ? 443 : 80, tls);
    }

    /** The origin-form target of {@code url}: its path ("/" when it has none) and query. */
    public static String target(java.net.URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }

    InetSocketAddress unresolved() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return (tls ? "https://" : "") + (host.contains(":") ? "[" + host + "]:" + port : host + ":" + port);
    }
}
