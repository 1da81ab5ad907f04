package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.HttpTokens;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.server.Regexps;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Active health checks of a pool's servers (Easegress's {@code healthCheck}): every
 * {@code interval} each server is probed and must answer within {@code timeout}; {@code fails}
 * failed probes in a row take a server out of the rotation, {@code passes} good ones in a row
 * bring it back; as Easegress's, every minute and within 3 s unless told otherwise. A probe is an
 * HTTP request — {@code method} (GET) {@code uri} (the server's own URL) with {@code headers}
 * ({@code Host} among them replaces the server's), {@code body}, and Basic {@code username} /
 * {@code password} — that passes when its status is in one of {@code match.statusCodes} (ranges,
 * default 200–399), each of {@code match.headers} holds (its first value equal to, or for
 * {@code type: regexp} found by, {@code value}) and, if given, {@code match.body} is found in the
 * body. {@code port} probes that port of each server's host instead of the server's own.
 *
 * <p>A WebSocketProxy pool's check is Easegress's: the HTTP probe's fields in an {@code http}
 * block, and a {@code ws} block whose probe is a WebSocket handshake ({@code port}, {@code uri},
 * {@code headers}) that passes when its answer's status is in {@code match.statusCodes} (101 by
 * default) and {@code match.headers} hold; both must pass when both are given.
 */
public record HealthCheckSpec(Duration interval, Duration timeout, int fails, int passes, Optional<String> uri,
                              List<StatusRange> statusCodes, Optional<BodyMatch> body, int port, String method,
                              Map<String, String> headers, String requestBody, Optional<Credentials> basicAuth,
                              List<HeaderMatch> headerMatches, Optional<WebSocketProbe> webSocket) {

    /** Easegress's {@code ws} probe: a handshake to {@code uri} on {@code port} (0: the server's), answered as {@code statusCodes} and {@code headerMatches} say. */
    public record WebSocketProbe(int port, String uri, Map<String, String> headers, List<StatusRange> statusCodes,
                                 List<HeaderMatch> headerMatches) {
        public WebSocketProbe {
            headers = Map.copyOf(headers);
            statusCodes = List.copyOf(statusCodes);
            headerMatches = List.copyOf(headerMatches);
        }

        public boolean statusPasses(int status) {
            return statusCodes.stream().anyMatch(r -> r.contains(status));
        }
    }

    /** HTTP methods a probe may use (Go's net/http names). */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE");

    public record Credentials(String username, String password) {
    }

    /** A response header the probe's answer must carry: its first value equal to {@code value}, or a regexp found in it. */
    public record HeaderMatch(String name, String value, boolean regexp) {
    }

    public record StatusRange(int from, int to) {
        boolean contains(int status) {
            return status >= from && status <= to;
        }
    }

    /** {@code value} contained in the body, or a regexp found in it. */
    public record BodyMatch(String value, boolean regexp) {
    }

    public HealthCheckSpec {
        statusCodes = List.copyOf(statusCodes);
        headers = Map.copyOf(headers);
        headerMatches = List.copyOf(headerMatches);
    }

    /** Whether there is an HTTP probe (always for a Proxy pool; a WebSocketProxy pool's may be its handshake alone). */
    public boolean http() {
        return uri.isPresent();
    }

    public boolean statusPasses(int status) {
        return statusCodes.stream().anyMatch(r -> r.contains(status));
    }

    /** A match's {@code type}: {@code plain} (the default) or {@code regexp}, whose value must then compile. */
    private static boolean isRegexp(SpecObject match, String what, String plain, String value) {
        String type = match.string("type", plain).toLowerCase(Locale.ROOT);
        if (!type.equals(plain) && !type.equals("regexp")) {
            match.error("type", "'" + type + "' is not a " + what + " match (expected " + plain + " or regexp)");
        }
        if (type.equals("regexp")) {
            Regexps.check(value, match, "value");
        }
        return type.equals("regexp");
    }

    /** A Proxy pool's: always an HTTP probe, as Easegress's (to the server's own URL when it names no {@code uri}). */
    static HealthCheckSpec decode(SpecObject o) {
        HealthCheckSpec spec = decode(o, o, Optional.empty());
        return spec.http() ? spec : spec.withUri("/");
    }

    /** A WebSocketProxy pool's: Easegress's {@code http} and {@code ws} blocks (or our flat HTTP fields); one of them is needed. */
    static HealthCheckSpec decodeWebSocket(SpecObject o) {
        Optional<WebSocketProbe> ws = o.object("ws").map(HealthCheckSpec::webSocketProbe);
        HealthCheckSpec spec = o.object("http").map(http -> decode(o, http, ws)).orElseGet(() -> decode(o, o, ws));
        if (!spec.http() && ws.isEmpty()) {
            o.error("ws", "a WebSocketProxy health check needs an http or a ws probe (as Easegress's)");
        }
        return spec;
    }

    private static WebSocketProbe webSocketProbe(SpecObject ws) {
        int port = ws.integer("port", 0, 0, 65_535);
        String uri = ws.string("uri", "/");
        if (!uri.startsWith("/")) {
            ws.error("uri", "'" + uri + "' must be a path starting with /");
        }
        Map<String, String> headers = headers(ws);
        List<StatusRange> codes = List.of(new StatusRange(101, 101));
        List<HeaderMatch> headerMatches = List.of();
        SpecObject match = ws.object("match").orElse(null);
        if (match != null) {
            List<StatusRange> given = statusRanges(match);
            codes = given.isEmpty() ? codes : given;
            headerMatches = headerMatches(match);
            match.finish();
        }
        ws.finish();
        return new WebSocketProbe(port, uri, headers, codes, headerMatches);
    }

    /** Interval, timeout and thresholds from {@code o}; the HTTP probe's fields from {@code http} ({@code o} itself, or its block). */
    private static HealthCheckSpec decode(SpecObject o, SpecObject http, Optional<WebSocketProbe> webSocket) {
        Duration interval = o.duration("interval", Duration.ofMinutes(1));
        Duration timeout = o.duration("timeout", Duration.ofSeconds(3));
        int fails = o.integer("fails", 1, 1, 100);
        int passes = o.integer("passes", 1, 1, 100);
        HealthCheckSpec probe = httpFields(http);
        if (http != o) {
            http.finish();
            if (probe.uri().isEmpty()) {
                // An http block asks for an HTTP probe, to the server's own URL when it names no uri.
                probe = probe.withUri("/");
            }
        }
        if (interval.compareTo(Duration.ofMillis(100)) < 0) {
            o.error("interval", "must be at least 100ms");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            o.error("timeout", "must be positive");
        }
        o.finish();
        return new HealthCheckSpec(interval, timeout, fails, passes, probe.uri, probe.statusCodes, probe.body, probe.port, probe.method,
                probe.headers, probe.requestBody, probe.basicAuth, probe.headerMatches, webSocket);
    }

    private HealthCheckSpec withUri(String path) {
        return new HealthCheckSpec(interval, timeout, fails, passes, Optional.of(path), statusCodes, body, port, method, headers,
                requestBody, basicAuth, headerMatches, webSocket);
    }

    private static Map<String, String> headers(SpecObject o) {
        Map<String, String> headers = o.stringMap("headers");
        headers.forEach((header, value) -> {
            // Checked here: a probe that cannot be built would stop the checks of the pool at run time.
            if (!HttpTokens.isHeaderName(header)) {
                o.error("headers", "'" + header + "' is not a header name");
            } else if (!HttpTokens.isHeaderValue(value)) {
                o.error("headers." + header, "a header value may not hold control characters (CR, LF…)");
            }
        });
        return headers;
    }

    private static List<StatusRange> statusRanges(SpecObject match) {
        return match.list("statusCodes", n -> {
            List<Integer> pair = n.asList(p -> p.asInt(100, 599));
            if (pair.size() != 2 || pair.get(0) > pair.get(1)) {
                n.error("expected a range [from, to], e.g. [200, 299]");
                return new StatusRange(200, 399);
            }
            return new StatusRange(pair.get(0), pair.get(1));
        });
    }

    private static List<HeaderMatch> headerMatches(SpecObject match) {
        return match.list("headers", n -> {
            SpecObject h = n.asObject();
            String name = h.requiredString("name");
            String value = h.string("value", "");
            boolean regexp = isRegexp(h, "header", "exact", value);
            h.finish();
            return new HeaderMatch(name, value, regexp);
        });
    }

    /** The HTTP probe's fields (interval and the rest are filled by the caller). */
    private static HealthCheckSpec httpFields(SpecObject o) {
        Optional<String> uri = o.optionalString("uri").or(() -> o.optionalString("path")).filter(u -> !u.isEmpty());
        uri.ifPresent(u -> {
            if (!u.startsWith("/")) {
                o.error("uri", "'" + u + "' must be a path starting with /");
            }
        });
        int port = o.integer("port", 0, 0, 65_535);
        String method = o.string("method", "GET");
        if (!METHODS.contains(method)) {
            o.error("method", "'" + method + "' is not an HTTP method (expected one of " + String.join(", ", new TreeSet<>(METHODS)) + ")");
        }
        Map<String, String> headers = headers(o);
        String requestBody = o.string("body", "");
        String username = o.string("username", "");
        String password = o.string("password", "");
        if (username.isEmpty() != password.isEmpty()) {
            o.error(username.isEmpty() ? "username" : "password", "is required with " + (username.isEmpty() ? "password" : "username"));
        }
        Optional<Credentials> basicAuth = username.isEmpty() ? Optional.empty() : Optional.of(new Credentials(username, password));
        boolean httpFields = o.has("method") || !headers.isEmpty() || !requestBody.isEmpty() || basicAuth.isPresent() || o.has("match");
        if (uri.isEmpty() && httpFields) {
            // As Easegress: the HTTP fields make the probe an HTTP request, to the server's own URL.
            uri = Optional.of("/");
        }
        List<StatusRange> codes = List.of(new StatusRange(200, 399));
        Optional<BodyMatch> body = Optional.empty();
        List<HeaderMatch> headerMatches = List.of();
        SpecObject match = o.object("match").orElse(null);
        if (match != null) {
            List<StatusRange> given = statusRanges(match);
            codes = given.isEmpty() ? codes : given;
            headerMatches = headerMatches(match);
            body = match.object("body").map(b -> {
                String value = b.requiredString("value");
                boolean regexp = isRegexp(b, "body", "contains", value);
                b.finish();
                return new BodyMatch(value, regexp);
            });
            match.finish();
        }
        return new HealthCheckSpec(Duration.ZERO, Duration.ZERO, 1, 1, uri, codes, body, port, method, headers, requestBody, basicAuth,
                headerMatches, Optional.empty());
    }
}
