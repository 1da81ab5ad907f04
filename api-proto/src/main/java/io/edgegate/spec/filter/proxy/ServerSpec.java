package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.codec.SpecObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/** An upstream server: where it is, its tags and weight, and whether it receives the client's Host. */
public record ServerSpec(String url, List<String> tags, int weight, boolean keepHost) {

    public static final int DEFAULT_WEIGHT = 1;

    public ServerSpec {
        tags = List.copyOf(tags);
    }

    /** The parsed url; decode has already checked it. */
    public URI uri() {
        return URI.create(url);
    }

    public String host() {
        String host = uri().getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    public int port() {
        URI uri = uri();
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }

    /** The Host header value for this server: port omitted when it is the scheme's default. */
    public String authority() {
        URI uri = uri();
        return uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
    }

    static ServerSpec decode(SpecObject o) {
        return decode(o, false);
    }

    /**
     * @param webSocket a WebSocketProxy's server: {@code ws://} or {@code wss://}, kept as the
     *                  {@code http://} or {@code https://} its handshake is sent to
     */
    static ServerSpec decode(SpecObject o, boolean webSocket) {
        String written = o.requiredString("url");
        String url = written;
        if (webSocket && !written.isEmpty()) {
            if (written.startsWith("ws://") || written.startsWith("wss://")) {
                url = "http" + written.substring(2);
            } else {
                o.error("url", "'" + written + "' is not a WebSocket URL (expected: ws://host:port or wss://host:port)");
            }
        }
        if (!url.isEmpty()) {
            String checked = url;
            checkUrl(url).ifPresent(problem -> o.error("url", "'" + checked + "' " + problem));
        }
        List<String> tags = o.stringList("tags");
        int weight = o.integer("weight", DEFAULT_WEIGHT, 0, 10_000);
        boolean keepHost = o.bool("keepHost", false);
        o.finish();
        return new ServerSpec(url, tags, weight, keepHost);
    }

    private static java.util.Optional<String> checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return java.util.Optional.of("is not a URL: " + e.getReason() + " (expected: e.g. http://10.0.0.1:8080)");
        }
        String authority = uri.getRawAuthority();
        int colon = authority == null ? -1 : authority.lastIndexOf(':');
        if (colon > 0 && colon + 1 < authority.length() && authority.substring(colon + 1).chars().allMatch(c -> c >= '0' && c <= '9')
                && (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65_535)) {
            // A port too large for an int leaves java.net.URI without a host; one above 65535 or 0 it takes.
            return java.util.Optional.of("has port " + authority.substring(colon + 1) + " (expected: 1-65535)");
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return java.util.Optional.of("is not a URL with a scheme and a host (expected: e.g. http://10.0.0.1:8080)");
        }
        if (!uri.getScheme().equals("http") && !uri.getScheme().equals("https")) {
            return java.util.Optional.of("has scheme '" + uri.getScheme() + "' (expected: http or https)");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return java.util.Optional.of("must not carry user info, a query or a fragment");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            return java.util.Optional.of("must not have a path: the request's own path is forwarded");
        }
        return java.util.Optional.empty();
    }
}
