package io.edgegate.dataplane.filter.cors;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.cors.CorsAdaptorSpec;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Cross-origin resource sharing (the Fetch standard's CORS protocol): preflights are answered
 * here with what is allowed, and, when asked, actual cross-origin answers get the headers
 * that let the browser hand them to the page. A disallowed origin gets no CORS headers,
 * which the browser enforces.
 */
final class CorsAdaptorFilter implements Filter {

    private static final CompletableFuture<String> PASS = CompletableFuture.completedFuture(SUCCESS);
    private static final CompletableFuture<String> PREFLIGHTED = CompletableFuture.completedFuture(CorsAdaptorSpec.RESULT_PREFLIGHTED);
    private static final CompletableFuture<String> REJECTED = CompletableFuture.completedFuture(CorsAdaptorSpec.RESULT_REJECTED);

    private final OriginMatcher origins;
    private final Set<String> methods;
    private final boolean anyHeader;
    private final Set<String> headers;
    private final boolean credentials;
    private final String exposed;
    private final int maxAge;
    private final boolean decorateActual;
    private final boolean rejectsDisallowed;

    CorsAdaptorFilter(CorsAdaptorSpec spec) {
        this.origins = new OriginMatcher(spec.allowedOrigins());
        this.methods = Set.copyOf(spec.allowedMethods());
        this.anyHeader = spec.allowedHeaders().contains("*");
        this.headers = spec.allowedHeaders().stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.credentials = spec.allowCredentials();
        this.exposed = spec.exposedHeaders().isEmpty() ? null : String.join(", ", spec.exposedHeaders());
        this.maxAge = spec.maxAge();
        this.decorateActual = spec.supportCorsRequest();
        this.rejectsDisallowed = spec.rejectsDisallowed();
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        HttpHeaders request = context.request().headers();
        String origin = request.get(HttpHeaderNames.ORIGIN);
        if (context.request().method().equals(HttpMethod.OPTIONS) && origin != null
                && request.contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
            context.respond(preflight(origin, request), BodyStream.EMPTY);
            return PREFLIGHTED;
        }
        if (origin == null) {
            return PASS;
        }
        boolean allowed = origins.allows(origin) && allowsMethod(context.request().method());
        if (allowed && decorateActual) {
            context.beforeResponse(head -> allowOrigin(head.headers(), origin));
        } else if (!allowed && rejectsDisallowed) {
            // As Easegress v2: not sent on. The browser would keep the answer from the page anyway; the server
            // does not run a request the page was not allowed to make.
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().add(HttpHeaderNames.VARY, "Origin").setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            context.respond(head, BodyStream.EMPTY);
            return REJECTED;
        }
        return PASS;
    }

    /** As rs/cors (the library Easegress uses) decides for an actual request: OPTIONS always, else the allowed methods. */
    private boolean allowsMethod(HttpMethod method) {
        return method.equals(HttpMethod.OPTIONS) || methods.contains(method.name());
    }

    private HttpResponse preflight(String origin, HttpHeaders request) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        HttpHeaders out = head.headers();
        out.add(HttpHeaderNames.VARY, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        String method = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD).toUpperCase(Locale.ROOT);
        List<String> requestedHeaders = requestedHeaders(request);
        if (!origins.allows(origin) || !methods.contains(method)
                || (!anyHeader && !requestedHeaders.stream().allMatch(h -> headers.contains(h.toLowerCase(Locale.ROOT))))) {
            return head;
        }
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowedOrigin(origin));
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, method);
        if (!requestedHeaders.isEmpty()) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, String.join(", ", requestedHeaders));
        }
        if (credentials) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        if (maxAge > 0) {
            out.setInt(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, maxAge);
        }
        return head;
    }

    private void allowOrigin(HttpHeaders out, String origin) {
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowedOrigin(origin));
        out.add(HttpHeaderNames.VARY, "Origin");
        if (credentials) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        if (exposed != null) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, exposed);
        }
    }

    /**
     * {@code *} when any origin is allowed, with credentials too, as rs/cors (Easegress) answers: browsers then keep a
     * credentialed answer from the page. Echoing the origin instead would let every site read what a signed-in
     * user's cookies fetch; a server that wants credentials names its origins.
     */
    private String allowedOrigin(String origin) {
        return origins.allowsAny() ? "*" : origin;
    }

    private static List<String> requestedHeaders(HttpHeaders request) {
        List<String> names = new ArrayList<>();
        for (String value : request.getAll(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS)) {
            for (String name : value.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.trim());
                }
            }
        }
        return names;
    }
}
