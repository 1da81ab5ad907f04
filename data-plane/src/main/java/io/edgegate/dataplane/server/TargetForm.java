package io.edgegate.dataplane.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The request-target forms a gateway serves (RFC 9112 §3.2): origin form ({@code /path?q}),
 * absolute form ({@code http://host/path?q}) and {@code *} for OPTIONS. An absolute-form
 * target's authority wins over the Host header (RFC 9112 §3.2.2), so it is made the Host and
 * the target is brought to origin form before routing: routing, filters and the upstream all
 * see the same authority.
 */
final class TargetForm {

    private TargetForm() {
    }

    /** Brings {@code request}'s target to origin form; the reason to refuse it with 400, or null when it is served. */
    static String normalize(HttpRequest request) {
        String uri = request.uri();
        if (uri.startsWith("/")) {
            return null;
        }
        if (uri.equals("*")) {
            return request.method().equals(HttpMethod.OPTIONS) ? null : "'*' is a target for OPTIONS only";
        }
        int colon = uri.indexOf("://");
        if (colon < 0) {
            return "the request target is neither a path nor an absolute URI";
        }
        String scheme = uri.substring(0, colon);
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            return "scheme '" + scheme + "' is not served";
        }
        int authorityStart = colon + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < uri.length() && "/?#".indexOf(uri.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = uri.substring(authorityStart, authorityEnd);
        if (authority.isEmpty() || authority.indexOf('@') >= 0 || !HostHeader.isValid(authority)) {
            return "the request target's authority '" + authority + "' is not a valid host[:port]";
        }
        String rest = uri.substring(authorityEnd);
        if (rest.startsWith("#")) {
            rest = "";
        }
        request.setUri(rest.isEmpty() || rest.charAt(0) != '/' ? "/" + rest : rest);
        request.headers().set(HttpHeaderNames.HOST, authority);
        return null;
    }
}
