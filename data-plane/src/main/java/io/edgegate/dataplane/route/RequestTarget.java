package io.edgegate.dataplane.route;

import java.util.Locale;

/** Reads what routing needs from a request target and Host header. */
public final class RequestTarget {

    private RequestTarget() {
    }

    /** The path of a request target, without query; absolute-form targets lose scheme and authority. */
    public static String path(String uri) {
        int start = pathStart(uri);
        if (start < 0) {
            return "/";
        }
        int end = uri.length();
        for (int i = start; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        return uri.substring(start, end);
    }

    /** The request target with its path replaced and its query kept, in origin form. */
    public static String withPath(String uri, String newPath) {
        int start = Math.max(pathStart(uri), 0);
        int query = uri.indexOf('?', start);
        return query < 0 ? newPath : newPath + uri.substring(query);
    }

    /** The Host header lower-cased, without port or a trailing dot; IPv6 literals lose their brackets. */
    public static String host(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty()) {
            return "";
        }
        String h = hostHeader.trim();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return (close > 0 ? h.substring(1, close) : h).toLowerCase(Locale.ROOT);
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.toLowerCase(Locale.ROOT);
    }

    /** Where the path begins: 0 in origin form, after the authority in absolute form, -1 if there is none. */
    private static int pathStart(String uri) {
        if (uri.startsWith("/")) {
            return 0;
        }
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return 0;
        }
        return uri.indexOf('/', scheme + 3);
    }
}
