package io.edgegate.dataplane.net;

import io.edgegate.spec.filter.ipfilter.Cidr;
import io.edgegate.spec.server.IpLiterals;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Who the client is. The socket's peer, unless that peer is a trusted proxy: then the
 * nearest {@code X-Forwarded-For} entry that is not itself a trusted proxy, read from the
 * right, since only the hops we trust wrote the entries after it. A forged left part of
 * the header is never believed.
 */
public final class ClientAddresses {

    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");

    private final Cidr[] trusted;

    private ClientAddresses(Cidr[] trusted) {
        this.trusted = trusted;
    }

    public static ClientAddresses trusting(List<String> trustedProxies) {
        return new ClientAddresses(trustedProxies.stream()
                .map(e -> Cidr.parse(e).orElseThrow(() -> new IllegalArgumentException("'" + e + "' is not an IP or CIDR")))
                .toArray(Cidr[]::new));
    }

    public InetAddress clientOf(InetSocketAddress peer, HttpHeaders headers) {
        InetAddress client = peer.getAddress();
        if (trusted.length == 0 || client == null || !isTrusted(client)) {
            return client;
        }
        List<String> values = headers.getAll(X_FORWARDED_FOR);
        for (int v = values.size() - 1; v >= 0; v--) {
            String[] hops = values.get(v).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                InetAddress hop = literal(hops[i].trim());
                if (hop == null) {
                    return client;
                }
                client = hop;
                if (!isTrusted(hop)) {
                    return hop;
                }
            }
        }
        return client;
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An address literal (no DNS), or null for anything else. */
    private static InetAddress literal(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!IpLiterals.isIpLiteral(t)) {
            return null;
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
