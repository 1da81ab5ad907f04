package io.edgegate.dataplane.filter.builder;

import io.edgegate.dataplane.http.QueryParameters;
import io.edgegate.template.TemplateObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A request's {@code *url.URL} as templates read it: Scheme, Host, Path, RawQuery, Query, String… */
final class UrlView implements TemplateObject {

    private final String scheme;
    private final String host;
    private final String requestUri;

    UrlView(String scheme, String host, String requestUri) {
        this.scheme = scheme;
        this.host = host;
        this.requestUri = requestUri;
    }

    private String rawPath() {
        int end = firstOf(requestUri, '?', '#');
        return requestUri.substring(0, end);
    }

    private String rawQuery() {
        int q = requestUri.indexOf('?');
        if (q < 0) {
            return "";
        }
        int hash = requestUri.indexOf('#', q);
        return requestUri.substring(q + 1, hash < 0 ? requestUri.length() : hash);
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) {
            return j < 0 ? s.length() : j;
        }
        return j < 0 ? i : Math.min(i, j);
    }

    @Override
    public Object member(String name, List<Object> args) {
        if (!args.isEmpty()) {
            return NO_SUCH_MEMBER;
        }
        return switch (name) {
            case "Scheme" -> scheme;
            case "Host" -> host;
            case "Path" -> URLDecoder.decode(rawPath().replace("+", "%2B"), StandardCharsets.UTF_8);
            case "RawPath", "EscapedPath" -> rawPath();
            case "RawQuery" -> rawQuery();
            case "Fragment" -> "";
            case "Query" -> ValuesView.query(QueryParameters.of("?" + rawQuery()));
            case "Hostname" -> hostAndPort()[0];
            case "Port" -> hostAndPort()[1];
            case "RequestURI" -> requestUri;
            case "String" -> scheme.isEmpty() || host.isEmpty() ? requestUri : scheme + "://" + host + requestUri;
            default -> NO_SUCH_MEMBER;
        };
    }

    /** Host without and with its port, as Go's URL.Hostname and URL.Port give them. */
    private String[] hostAndPort() {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            String port = close >= 0 && host.startsWith(":", close + 1) ? host.substring(close + 2) : "";
            return new String[] {close < 0 ? host.substring(1) : host.substring(1, close), port};
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? new String[] {host, ""} : new String[] {host.substring(0, colon), host.substring(colon + 1)};
    }

    @Override
    public String typeName() {
        return "*url.URL";
    }

    @Override
    public String toString() {
        return (String) member("String", List.of());
    }
}
