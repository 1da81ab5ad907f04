package io.edgegate.dataplane.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection and must not be forwarded:
 * the fixed set, plus every header the {@code Connection} header names.
 */
public final class HopByHop {

    private static final CharSequence[] FIXED = {
        HttpHeaderNames.CONNECTION, AsciiString.cached("keep-alive"), AsciiString.cached("proxy-connection"),
        HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE,
        HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE,
    };

    private HopByHop() {
    }

    public static void strip(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.CONNECTION)) {
            for (CharSequence name : FIXED) {
                headers.remove(name);
            }
            return;
        }
        List<String> named = new ArrayList<>();
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String name = token.trim();
                if (!name.isEmpty()) {
                    named.add(name);
                }
            }
        }
        for (CharSequence name : FIXED) {
            headers.remove(name);
        }
        for (String name : named) {
            headers.remove(name);
        }
    }
}
