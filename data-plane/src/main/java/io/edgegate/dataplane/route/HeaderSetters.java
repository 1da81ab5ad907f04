package io.edgegate.dataplane.route;

import io.edgegate.dataplane.http.QueryParameters;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path's {@code setHeaders} (Easegress): request headers set when the path matches, their
 * values with NGINX-style variables ({@code $request_method}, {@code ${arg_page:1}},
 * {@code $http_user_agent}, {@code $cookie_id}, {@code $remote_addr}…) as Easegress reads them;
 * an unknown variable is empty. A value written empty removes the header; one whose variables came
 * out empty sets it empty, as Easegress does. Parsed once per config.
 */
public final class HeaderSetters {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}|\\$([a-zA-Z_][a-zA-Z0-9_]*)");
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    /** Text and variables, in order: a variable part has a name and a default. */
    private record Part(String text, String variable, String fallback) {
    }

    private record Setter(String header, List<Part> parts) {
    }

    private final List<Setter> setters;

    private HeaderSetters(List<Setter> setters) {
        this.setters = setters;
    }

    /** Null when there is nothing to set, so a route without setHeaders costs nothing. */
    static HeaderSetters of(Map<String, String> setHeaders) {
        if (setHeaders.isEmpty()) {
            return null;
        }
        List<Setter> setters = new ArrayList<>();
        setHeaders.forEach((header, value) -> setters.add(new Setter(header, parse(value))));
        return new HeaderSetters(List.copyOf(setters));
    }

    private static List<Part> parse(String value) {
        List<Part> parts = new ArrayList<>();
        Matcher m = VARIABLE.matcher(value);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                parts.add(new Part(value.substring(at, m.start()), null, null));
            }
            parts.add(m.group(3) != null ? new Part(null, m.group(3), "") : new Part(null, m.group(1), m.group(2) == null ? "" : m.group(2)));
            at = m.end();
        }
        if (at < value.length()) {
            parts.add(new Part(value.substring(at), null, null));
        }
        return List.copyOf(parts);
    }

    /** Sets (or removes) the headers on {@code request}; every value is read from the request as it arrived. */
    public void apply(HttpRequest request, String scheme, String clientIp) {
        List<String> values = new ArrayList<>(setters.size());
        for (Setter setter : setters) {
            StringBuilder value = new StringBuilder();
            for (Part part : setter.parts()) {
                if (part.variable() == null) {
                    value.append(part.text());
                } else {
                    String v = variable(part.variable(), request, scheme, clientIp);
                    value.append(v.isEmpty() ? part.fallback() : v);
                }
            }
            values.add(value.toString());
        }
        HttpHeaders headers = request.headers();
        for (int i = 0; i < setters.size(); i++) {
            String value = values.get(i);
            if (setters.get(i).parts().isEmpty()) {
                headers.remove(setters.get(i).header());
            } else if (io.edgegate.spec.HttpTokens.isHeaderValue(value)) {
                headers.set(setters.get(i).header(), value);
            }
        }
    }

    private static String variable(String name, HttpRequest request, String scheme, String clientIp) {
        String target = request.uri();
        // Easegress's $uri is Go's URL.Path (decoded); $request_uri and $request add the raw query.
        String path = RequestTarget.decodedPath(RequestTarget.path(target));
        String query = rawQuery(target);
        String uri = query.isEmpty() ? path : path + "?" + query;
        HttpHeaders headers = request.headers();
        return switch (name) {
            case "request_method" -> request.method().name();
            case "request_uri" -> uri;
            case "uri" -> path;
            case "request" -> request.method().name() + " " + uri + " " + request.protocolVersion().text();
            case "scheme" -> scheme;
            case "query_string", "args" -> query;
            case "host", "hostname", "server_name" -> RequestTarget.host(headers.get(HttpHeaderNames.HOST));
            case "http_host" -> headers.get(HttpHeaderNames.HOST, "");
            case "remote_addr" -> clientIp;
            case "remote_user" -> io.edgegate.dataplane.http.BasicAuthorization.username(headers.get(HttpHeaderNames.AUTHORIZATION));
            case "proxy_add_x_forwarded_for" -> {
                String previous = headers.get("X-Forwarded-For", "");
                yield previous.isEmpty() ? clientIp : previous + ", " + clientIp;
            }
            case "time_iso8601" -> ZonedDateTime.now(ZoneId.systemDefault()).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            case "time_local" -> ZonedDateTime.now(ZoneId.systemDefault()).format(LOCAL_TIME);
            case "msec" -> Long.toString(System.currentTimeMillis());
            case "content_type" -> headers.get(HttpHeaderNames.CONTENT_TYPE, "");
            case "content_length" -> headers.get(HttpHeaderNames.CONTENT_LENGTH, "");
            case "server_protocol" -> request.protocolVersion().text();
            case "request_time" -> "0.000";
            case "request_length" -> headers.get(HttpHeaderNames.CONTENT_LENGTH, "0");
            default -> prefixed(name, headers, query);
        };
    }

    private static String rawQuery(String target) {
        int q = target.indexOf('?');
        if (q < 0) {
            return "";
        }
        int fragment = target.indexOf('#', q);
        return fragment < 0 ? target.substring(q + 1) : target.substring(q + 1, fragment);
    }

    private static String prefixed(String name, HttpHeaders headers, String query) {
        if (name.startsWith("http_")) {
            return headers.get(name.substring(5).replace('_', '-'), "");
        }
        if (name.startsWith("arg_")) {
            List<String> values = QueryParameters.of("?" + query).get(name.substring(4));
            return values == null || values.isEmpty() ? "" : values.get(0);
        }
        if (name.startsWith("cookie_")) {
            String cookies = headers.get(HttpHeaderNames.COOKIE);
            if (cookies != null) {
                for (Cookie cookie : ServerCookieDecoder.LAX.decode(cookies)) {
                    if (cookie.name().equals(name.substring(7))) {
                        return cookie.value();
                    }
                }
            }
        }
        return "";
    }
}
