package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.PlainResponses;
import io.edgegate.dataplane.accesslog.AccessRecord;
import io.edgegate.dataplane.metrics.RequestMeters;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.pipeline.ResponseFlag;
import io.edgegate.dataplane.tracing.RequestTrace;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.edgegate.dataplane.pipeline.Pipeline;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.async.Causes;
import io.edgegate.dataplane.route.RouteMatch;
import io.edgegate.dataplane.upstream.UpstreamException;
import io.edgegate.dataplane.route.RequestTarget;
import io.netty.channel.Channel;
import io.netty.util.AsciiString;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.edgegate.dataplane.http.FixedBody;

/**
 * One request from routing to the response to write, the same for HTTP/1.1 and HTTP/2: the
 * route is looked up in the server state read once, the matched pipeline runs, and its
 * response (or the error it ends in) is handed back on the connection's event loop.
 */
final class Exchange {

    private static final io.netty.util.AsciiString X_FORWARDED_FOR = io.netty.util.AsciiString.cached("X-Forwarded-For");

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    /** Its hash computed once, not per request. */
    private static final AsciiString X_REQUEST_ID = AsciiString.cached("X-Request-Id");

    private final CompletableFuture<Response> response = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();
    private final ServerState state;
    private final String backend;
    private final HttpRequest head;
    private final Channel channel;
    private final boolean http2;
    /** As the client sent it, before a route's rewrite. */
    private final String uri;
    /**
     * What the access log tells of the request, as the client sent it: filters (a RequestAdaptor) change the head
     * in place on its way upstream, and the line is made at the last byte.
     */
    private final String method;
    private final String host;
    private final String userAgent;
    private final String requestId;
    private final String referer;
    private final long requestBytes;
    /** Its backend's meters, taken at its start (see {@link RequestMeters#backend}). */
    private final RequestMeters.BackendMeters meters;
    private final RequestTrace trace;
    private RequestContext context;
    /** {@link ResponseFlag} bits of what happened before a pipeline ran (or instead of one). */
    private int flags;
    /** Counted among the server's active requests until its answer or the client's departure. */
    private boolean active;
    /**
     * An answered request's access-log line is due once its response is written (or the client left):
     * what only the head's moment knows is kept until then, and the line is made once, whole.
     */
    private boolean lineDue;
    private int lineStatus;
    private long lineEpochMillis;
    private long lineHeadNanos;
    private boolean responseWritten;

    private Exchange(ServerState state, String backend, HttpRequest head, Channel channel, boolean http2, RequestTrace trace) {
        this.state = state;
        this.trace = trace;
        this.backend = backend;
        this.head = head;
        this.channel = channel;
        this.http2 = http2;
        this.uri = head.uri();
        this.meters = state.meters().backend(backend);
        HttpHeaders headers = head.headers();
        this.method = head.method().name();
        this.requestBytes = Math.max(0, headers.getInt(HttpHeaderNames.CONTENT_LENGTH, 0));
        boolean logged = state.accessLog().enabled();
        this.host = logged ? or(headers.get(HttpHeaderNames.HOST)) : "";
        this.userAgent = logged ? or(headers.get(HttpHeaderNames.USER_AGENT)) : "";
        this.requestId = logged ? or(headers.get(X_REQUEST_ID)) : "";
        this.referer = state.accessLog().logsReferer() ? or(headers.get(HttpHeaderNames.REFERER)) : "";
    }

    /** Starts a request that {@code state}'s routes answered with {@code match}. */
    static Exchange start(RouteMatch match, HttpRequest head, BodyStream body, Channel channel, ServerState state,
                          RequestContext.Connection connection) {
        Exchange exchange = new Exchange(state, match.outcome() == RouteMatch.Outcome.MATCHED ? match.backend()
                : RequestMeters.NO_BACKEND, head, channel, connection.http2(),
                state.tracing().startServer(head, state.spec().name(), connection.scheme(), channel.remoteAddress(), connection.http2()));
        state.meters().requestStarted();
        exchange.active = true;
        switch (match.outcome()) {
            case NOT_FOUND -> exchange.flagged(ResponseFlag.NO_ROUTE).plain(channel, HttpResponseStatus.NOT_FOUND, "no route matches");
            case FORBIDDEN -> exchange.plain(channel, HttpResponseStatus.FORBIDDEN, "your address may not use this route");
            case BAD_REQUEST -> exchange.plain(channel, HttpResponseStatus.BAD_REQUEST,
                    "the request does not meet the route's header or query conditions");
            case METHOD_NOT_ALLOWED -> exchange.plain(channel, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method " + head.method() + " is not allowed here");
            case MATCHED -> {
                Pipeline pipeline = state.pipelines().get(match.backend());
                if (pipeline == null) {
                    exchange.plain(channel, HttpResponseStatus.SERVICE_UNAVAILABLE, "pipeline " + match.backend() + " is not available");
                } else {
                    if (match.setHeaders() != null) {
                        match.setHeaders().apply(head, connection.scheme(), clientIp(channel));
                    }
                    if (match.rewrites()) {
                        head.setUri(RequestTarget.withPath(head.uri(), rewritten(match, RequestTarget.path(head.uri()))));
                    }
                    exchange.run(pipeline, head, body, channel, state, connection, match.pathPrefix());
                }
            }
        }
        return exchange;
    }

    /**
     * The path to forward after a rewriteTarget. The path as sent is rewritten when the route's condition holds for
     * it too, so its escapes ({@code %2F} in a segment, bytes that are not UTF-8) reach the upstream as they came;
     * a path that matched only once decoded ({@code /%61dmin} for {@code /admin}) is rewritten decoded and goes on
     * encoded again, as Easegress forwards Go's escaped form of a rewritten path.
     */
    private static String rewritten(RouteMatch match, String rawPath) {
        if (match.pathMatches(rawPath)) {
            return match.rewrite(rawPath);
        }
        return RequestTarget.encodedPath(match.rewrite(RequestTarget.matchingPath(rawPath)));
    }

    /** A request refused on its head, before any route (malformed, too large, over a limit): counted and logged as backend none. */
    static void refusedOnHead(ServerState state, HttpRequest head, Channel channel, boolean http2, int status, long bodyBytes) {
        Exchange refused = new Exchange(state, RequestMeters.NO_BACKEND, head, channel, http2, RequestTrace.NONE);
        if (status >= 400 && status < 500) {
            refused.flags |= ResponseFlag.DOWNSTREAM_PROTOCOL_ERROR.bit();
        }
        long nanos = System.nanoTime() - refused.startNanos;
        refused.meters.record(status, nanos);
        refused.meters.bytes(0, bodyBytes);
        if (state.accessLog().admit(status)) {
            state.accessLog().log(refused.record(System.currentTimeMillis(), status, nanos, refused.requestBytes, bodyBytes, nanos, 0),
                    channel.eventLoop());
        }
    }

    /** Completes on the connection's event loop with the response to write; never fails. */
    CompletableFuture<Response> response() {
        return response;
    }

    /**
     * The response went out: {@code bytes} of its body, all of it when {@code whole} (else the client
     * left or the body broke off). Its access-log line is written now, with the time to the last byte.
     */
    void written(long bytes, boolean whole) {
        finished(bytes, whole ? 0 : ResponseFlag.DOWNSTREAM_CONNECTION_TERMINATION.bit());
    }

    /**
     * As {@link #written(long, boolean)}, with why the response stopped short ({@code failure}, null when it went
     * out whole): an upstream whose body broke off is flagged {@code UC}, not taken for the client leaving ({@code DC}).
     */
    void written(long bytes, Throwable failure) {
        finished(bytes, failure == null ? 0 : Causes.unwrap(failure) instanceof UpstreamException
                ? ResponseFlag.UPSTREAM_CONNECTION_TERMINATION.bit() : ResponseFlag.DOWNSTREAM_CONNECTION_TERMINATION.bit());
    }

    private void finished(long bytes, int cutShort) {
        if (responseWritten) {
            return;
        }
        responseWritten = true;
        if (lineDue) {
            lineDue = false;
            state.accessLog().log(record(lineEpochMillis, lineStatus, lineHeadNanos, requestBytes, bytes, System.nanoTime() - startNanos,
                    cutShort), channel.eventLoop());
        }
        meters.bytes(requestBytes, bytes);
    }


    /** The client went away: let the pipeline's filters undo what they started. */
    void abort() {
        flags |= ResponseFlag.DOWNSTREAM_CONNECTION_TERMINATION.bit();
        ended();
        trace.abort();
        if (context != null) {
            context.abort();
        }
    }

    private void ended() {
        if (active) {
            active = false;
            state.meters().requestEnded();
        }
    }

    private Exchange flagged(ResponseFlag flag) {
        flags |= flag.bit();
        return this;
    }

    private void run(Pipeline pipeline, HttpRequest head, BodyStream body, Channel channel, ServerState state,
                     RequestContext.Connection connection, String routePathPrefix) {
        context = new RequestContext(head, body, channel, (InetSocketAddress) channel.remoteAddress(), state.settings(), connection);
        if (state.settings().xForwardedFor()) {
            // As Easegress, on the request itself: filters (a Mock's or a pool's header match, headerHash) see what the upstream gets.
            // The client is worked out first (trusted proxies read the lines as the client sent them), and every line is kept.
            context.client();
            java.util.List<String> previous = head.headers().getAll(X_FORWARDED_FOR);
            String ip = context.clientIp();
            head.headers().set(X_FORWARDED_FOR, previous.isEmpty() ? ip : String.join(", ", previous) + ", " + ip);
        }
        context.routed(routePathPrefix);
        context.pipelines(state.pipelines());
        context.traced(trace);
        CompletableFuture<Void> flow = state.globalFlow() == null ? pipeline.run(context) : state.globalFlow().run(pipeline, context);
        flow.whenComplete((done, error) -> {
            if (channel.eventLoop().inEventLoop()) {
                finish(pipeline, error, channel);
            } else {
                channel.eventLoop().execute(() -> finish(pipeline, error, channel));
            }
        });
    }

    private void finish(Pipeline pipeline, Throwable error, Channel channel) {
        if (error != null) {
            log.error("pipeline {} failed: {}", pipeline.name(), error.toString());
            context.abort();
            plain(channel, HttpResponseStatus.INTERNAL_SERVER_ERROR, "");
            return;
        }
        complete(context.takeResponse(pipeline.unansweredStatus()));
    }

    /** Counted and logged when the response head is ready: by server, backend and code, with the time it took. */
    private void complete(Response answer) {
        long nanos = System.nanoTime() - startNanos;
        int status = answer.head().status().code();
        ended();
        trace.end(backend, status);
        meters.record(status, nanos);
        if (state.accessLog().admit(status)) {
            lineDue = true;
            lineStatus = status;
            lineEpochMillis = System.currentTimeMillis();
            lineHeadNanos = nanos;
        }
        response.complete(answer);
    }

    /**
     * The request as the access log tells it: answered with {@code status} {@code nanos} after it began
     * (at {@code epochMillis}), {@code requestBytes} of body announced, {@code bytes} of body written by {@code totalNanos},
     * and {@code moreFlags}.
     */
    private AccessRecord record(long epochMillis, int status, long nanos, long requestBytes, long bytes, long totalNanos, int moreFlags) {
        int query = uri.indexOf('?');
        // Behind a trusted proxy, the client it forwarded for, as IP filters see it.
        String client = context != null ? context.clientText() : clientIp(channel);
        return new AccessRecord(epochMillis, state.spec().name(), backend, requestId,
                trace.traceId(head), client,
                method, host, query < 0 ? uri : uri.substring(0, query),
                http2 ? "HTTP/2.0" : head.protocolVersion().text(), status,
                context != null ? context.endedBy() : "", context != null ? context.endResult() : "",
                context != null ? context.get(RequestKeys.UPSTREAM) : "", context != null ? context.get(RequestKeys.UPSTREAM_STATUS) : 0,
                flags | (context != null ? context.responseFlags() : 0) | moreFlags, nanos,
                requestBytes, userAgent, referer, bytes, totalNanos);
    }

    private static String clientIp(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress().getHostAddress() : "";
    }

    private static String or(String value) {
        return value == null ? "" : value;
    }

    private void plain(Channel channel, HttpResponseStatus status, String message) {
        var full = PlainResponses.of(channel.alloc(), status, message);
        complete(new Response(new io.netty.handler.codec.http.DefaultHttpResponse(full.protocolVersion(),
                full.status(), full.headers()), new FixedBody(full.content())));
    }
}
