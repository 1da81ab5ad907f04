package io.edgegate.dataplane.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
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

    /**
     * Removes from a client's request the headers its {@code Connection} header names, before any filter sees it:
     * named only when it is forwarded, they would take with them what a filter set under the same name (a
     * Validator's identity header), or the Host a server keeps. Connection keeps its own tokens; headers that
     * frame the request stay (it was framed by them already).
     */
    public static void dropNamedByConnection(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.CONNECTION)) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        boolean named = false;
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String name = token.trim();
                if (name.isEmpty()) {
                    continue;
                }
                if (isConnectionOption(name)) {
                    kept.append(kept.length() == 0 ? "" : ", ").append(name);
                    continue;
                }
                named = true;
                if (!isFraming(name)) {
                    headers.remove(name);
                }
            }
        }
        if (!named) {
            return;
        }
        if (kept.length() == 0) {
            headers.remove(HttpHeaderNames.CONNECTION);
        } else {
            headers.set(HttpHeaderNames.CONNECTION, kept.toString());
        }
    }

    private static boolean isConnectionOption(String token) {
        return HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(token) || HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(token)
                || HttpHeaderValues.UPGRADE.contentEqualsIgnoreCase(token);
    }

    private static boolean isFraming(String name) {
        return HttpHeaderNames.HOST.contentEqualsIgnoreCase(name) || HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name);
    }

    /**
     * As {@link #strip}, for an answer sent on over HTTP/1.1: a 426 keeps its Upgrade, which says what the client must
     * switch to (RFC 9110 §15.5.22) and is no hop's business.
     */
    public static void stripResponse(io.netty.handler.codec.http.HttpResponse head) {
        String upgrade = head.status().code() == 426 ? head.headers().get(HttpHeaderNames.UPGRADE) : null;
        strip(head.headers());
        if (upgrade != null) {
            head.headers().set(HttpHeaderNames.UPGRADE, upgrade);
        }
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
