package io.edgegate.dataplane.route;

import java.nio.charset.StandardCharsets;
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

    /**
     * The path as routing sees it, percent-decoded as Easegress (Go's URL.Path) sees it: {@code /%61dmin} is
     * {@code /admin}, so an encoded path cannot slip past the route meant for it. Bytes are read as UTF-8, raw
     * ones (a client's unencoded non-ASCII) as the bytes they came as, and bytes that are no UTF-8 as U+FFFD (so
     * {@code /%61dmin/%FF} is still under {@code /admin}). A path with a broken escape, which the server refuses
     * before routing (as Go's does), is left as it is.
     */
    public static String decodedPath(String rawPath) {
        if (rawPath.indexOf('%') < 0 && isAscii(rawPath)) {
            return rawPath;
        }
        byte[] bytes = new byte[rawPath.length()];
        int n = 0;
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                int high = i + 2 < rawPath.length() ? Character.digit(rawPath.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(rawPath.charAt(i + 2), 16);
                if (low < 0) {
                    return rawPath;
                }
                bytes[n++] = (byte) (high << 4 | low);
                i += 2;
            } else {
                bytes[n++] = (byte) c;
            }
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8); // malformed sequences become U+FFFD
    }

    /**
     * The path routes and path-matching filters see: {@link #decodedPath}, with a run of '/' taken as one and
     * '.' and '..' segments resolved (RFC 3986's remove_dot_segments), as NGINX normalizes a URI before it picks
     * a location. Matched as sent, {@code /public/../admin} (or {@code /public/%2e%2e/admin}, or {@code //admin})
     * took the /public route while an upstream that resolves it served /admin. The request keeps its path as sent.
     */
    public static String matchingPath(String rawPath) {
        return matchingPath(rawPath, true);
    }

    /** As {@link #matchingPath(String)}; {@code mergeSlashes} false keeps empty segments ({@code //}) as they are. */
    public static String matchingPath(String rawPath, boolean mergeSlashes) {
        return withoutDotSegments(decodedPath(rawPath), mergeSlashes);
    }

    static String withoutDotSegments(String path, boolean mergeSlashes) {
        if (path.isEmpty() || path.charAt(0) != '/' || ((!mergeSlashes || path.indexOf("//") < 0) && path.indexOf("/.") < 0)) {
            return path;
        }
        java.util.ArrayDeque<String> kept = new java.util.ArrayDeque<>();
        boolean endsWithSlash = false;
        int start = 1;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            boolean last = end < 0;
            String segment = path.substring(start, last ? path.length() : end);
            if (segment.equals("..")) {
                kept.pollLast();
                endsWithSlash = true;
            } else if (segment.equals(".") || (segment.isEmpty() && (mergeSlashes || last))) {
                endsWithSlash = true;
            } else {
                kept.addLast(segment);
                endsWithSlash = false;
            }
            if (last) {
                break;
            }
            start = end + 1;
        }
        if (kept.isEmpty()) {
            return "/";
        }
        return "/" + String.join("/", kept) + (endsWithSlash ? "/" : "");
    }

    /** Whether {@code rawPath} has a {@code %} not followed by two hex digits: Go's server answers such a request 400. */
    public static boolean hasBrokenEscape(String rawPath) {
        for (int i = rawPath.indexOf('%'); i >= 0; i = rawPath.indexOf('%', i + 1)) {
            if (i + 2 >= rawPath.length() || Character.digit(rawPath.charAt(i + 1), 16) < 0
                    || Character.digit(rawPath.charAt(i + 2), 16) < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A decoded path made fit for a request line, as Go's URL.EscapedPath makes it: letters, digits,
     * {@code -._~$&+,/:;=@} stay, everything else goes as UTF-8 percent-escapes.
     */
    public static String encodedPath(String path) {
        StringBuilder out = null;
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean keep = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || "-._~$&+,/:;=@".indexOf(b) >= 0;
            if (keep) {
                if (out != null) {
                    out.append((char) b);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(bytes.length + 16).append(path, 0, i);
            }
            out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
        return out == null ? path : out.toString();
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
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
