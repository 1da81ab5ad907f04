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

    InetSocketAddress unresolved() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return (tls ? "https://" : "") + (host.contains(":") ? "[" + host + "]:" + port : host + ":" + port);
    }
}
