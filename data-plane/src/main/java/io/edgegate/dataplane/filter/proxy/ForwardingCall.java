package io.edgegate.dataplane.filter.proxy;

import io.edgegate.async.Causes;
import io.edgegate.dataplane.http.BodyTooLargeException;
import io.edgegate.dataplane.http.HopByHop;
import io.edgegate.dataplane.http.MalformedBodyException;
import io.edgegate.dataplane.http.PlainResponses;
import io.edgegate.dataplane.metrics.UpstreamMeters;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterResults;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.dataplane.pipeline.ResponseFlag;
import io.edgegate.dataplane.upstream.UpstreamException;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.edgegate.dataplane.upstream.UpstreamTimeoutException;

/**
 * The core of a Proxy: picks a server of the exchange's pool, sends the request through the
 * attempt chain, and makes what comes back the request's answer. No server → 503
 * ({@code internalError}); the server cannot be reached or breaks the exchange → 502, too slow →
 * 504 ({@code serverError}); a body too large or broken by the client → 413/400 ({@code clientError}).
 */
final class ForwardingCall implements ProxyCall {

    private static final Logger log = LoggerFactory.getLogger(ForwardingCall.class);
    /** Response headers that may name the upstream server itself. */
    private static final AsciiString TIME_LIMITER_HEADER = AsciiString.cached("X-EG-Time-Limiter");
    private static final List<AsciiString> REDIRECT_HEADERS = List.of(HttpHeaderNames.LOCATION, HttpHeaderNames.CONTENT_LOCATION);

    private final String proxyName;
    private final UpstreamCall upstream;
    private final FilterResults results;
    private final UpstreamMeters meters;
    private final String timeoutResult;

    ForwardingCall(String proxyName, UpstreamCall upstream, FilterResults results) {
        this(proxyName, upstream, results, new UpstreamMeters(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), "", proxyName),
                ProxySpec.RESULT_TIMEOUT);
    }

    /** {@code timeoutResult}: what a timed-out call returns (Easegress v2 says timeout, v1 serverError). */
    ForwardingCall(String proxyName, UpstreamCall upstream, FilterResults results, UpstreamMeters meters, String timeoutResult) {
        this.proxyName = proxyName;
        this.upstream = upstream;
        this.results = results;
        this.meters = meters;
        this.timeoutResult = timeoutResult;
    }

    @Override
    public CompletionStage<String> call(ProxyExchange exchange) {
        RequestContext context = exchange.context();
        Upstream server = exchange.pool().pick(context);
        if (server == null) {
            context.flag(ResponseFlag.NO_HEALTHY_UPSTREAM);
            context.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "no server available");
            return results.of(ProxySpec.RESULT_INTERNAL_ERROR);
        }
        exchange.sendTo(server);
        long sent = System.nanoTime();
        return upstream.send(exchange, server, context.requestBody()).handle((response, error) -> finish(exchange, response, error, sent));
    }

    /** Makes the upstream's answer (or the failure to get one) the request's; the result of the Proxy. */
    private String finish(ProxyExchange exchange, UpstreamResponse response, Throwable error, long sent) {
        RequestContext context = exchange.context();
        ServerPool pool = exchange.pool();
        Upstream server = exchange.server();
        Throwable cause = Causes.unwrap(error);
        count(exchange, server, response, cause, System.nanoTime() - sent);
        if (server != null) {
            context.put(RequestKeys.UPSTREAM, server.url());
        }
        boolean clientsFault = cause instanceof BodyTooLargeException || cause instanceof MalformedBodyException
                || cause instanceof RetryingCall.RequestBodyIncomplete;
        if (server == null) {
            // A retry found no server left; the last one was already told how its attempt went.
        } else if (clientsFault || context.isAborted()) {
            // The client broke the exchange off (a bad body, or it went away): the server is not to blame, nor ejected for it.
            pool.abandonedByClient(server);
        } else {
            pool.finished(server, error == null ? response.head() : null);
        }
        if (error != null) {
            return refuse(context, server, cause);
        }
        HttpResponse head = response.head();
        context.put(RequestKeys.UPSTREAM_STATUS, head.status().code());
        if (response.upgraded() == null) {
            HopByHop.stripResponse(head);
        }
        hideUpstream(head, server, context);
        exchange.answeredByUpstream(new Response(head, response.body(), response.upgraded()));
        return pool.isFailureCode(head.status().code()) ? ProxySpec.RESULT_FAILURE_CODE : Filter.SUCCESS;
    }

    /** Counted against the server that answered or failed, unless the client broke the exchange or no server was left. */
    private void count(ProxyExchange exchange, Upstream server, UpstreamResponse response, Throwable cause, long nanos) {
        if (server == null || exchange.context().isAborted()) {
            return;
        }
        if (cause == null) {
            meters.answered(server.url(), response.head().status().code(), nanos);
        } else if (!(cause instanceof BodyTooLargeException || cause instanceof MalformedBodyException
                || cause instanceof RetryingCall.RequestBodyIncomplete || cause instanceof RetryingCall.NoServerLeft)) {
            meters.failed(server.url(), timedOut(cause) ? "timeout" : UpstreamMeters.kind(cause), nanos);
        }
    }

    /** The deadline passed, or the server went silent after the request (no deadline set). */
    static boolean timedOut(Throwable cause) {
        return cause instanceof ResponseTimeout || cause instanceof UpstreamTimeoutException;
    }

    private String refuse(RequestContext context, Upstream server, Throwable cause) {
        if (cause instanceof RetryingCall.NoServerLeft) {
            context.flag(ResponseFlag.NO_HEALTHY_UPSTREAM);
            context.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "no server available");
            return ProxySpec.RESULT_INTERNAL_ERROR;
        }
        if (timedOut(cause)) {
            context.flag(ResponseFlag.UPSTREAM_REQUEST_TIMEOUT);
            context.put(RequestKeys.UPSTREAM_FAILED, true);
            if (System.nanoTime() >= context.get(RequestKeys.TIME_LIMITER_DEADLINE_NANOS)) {
                // Easegress's TimeLimiter cancels the request and answers 408 itself, whatever the Proxy made of it.
                FullHttpResponse limited = PlainResponses.of(context.alloc(), HttpResponseStatus.REQUEST_TIMEOUT, "the time limit passed");
                limited.headers().set(TIME_LIMITER_HEADER, "timed-out");
                context.respond(limited);
            } else {
                context.respond(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream did not answer in time");
            }
            // Easegress says timeout only when the pool's own deadline passed; a server that went silent with no
            // deadline set (EdgeGate's 60 s read timeout) is a server error, so fallbacks on serverError still catch it.
            return cause instanceof ResponseTimeout ? timeoutResult : ProxySpec.RESULT_SERVER_ERROR;
        }
        if (cause instanceof BodyTooLargeException) {
            context.respond(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, cause.getMessage());
            return ProxySpec.RESULT_CLIENT_ERROR;
        }
        if (cause instanceof MalformedBodyException || cause instanceof RetryingCall.RequestBodyIncomplete) {
            // The client's fault, not the server's: no 502, nothing counted against the server.
            context.respond(HttpResponseStatus.BAD_REQUEST, cause.getMessage());
            return ProxySpec.RESULT_CLIENT_ERROR;
        }
        log.debug("proxy {}: {} failed: {}", proxyName, server.address(), cause.toString());
        context.flag(cause instanceof UpstreamException u && u.connectFailed() ? ResponseFlag.UPSTREAM_CONNECTION_FAILURE
                : ResponseFlag.UPSTREAM_CONNECTION_TERMINATION);
        context.put(RequestKeys.UPSTREAM_FAILED, true);
        context.respond(HttpResponseStatus.BAD_GATEWAY, "upstream unavailable");
        return ProxySpec.RESULT_SERVER_ERROR;
    }

    /**
     * A redirect that names the upstream server itself is rewritten to the address the client used.
     * The client's Host is looked up only for such a header: nearly no response has one.
     */
    private static void hideUpstream(HttpResponse head, Upstream server, RequestContext context) {
        String upstreamBase = server.url();
        for (AsciiString header : REDIRECT_HEADERS) {
            String value = head.headers().get(header);
            if (value != null && value.startsWith(upstreamBase)
                    && (value.length() == upstreamBase.length() || "/?#".indexOf(value.charAt(upstreamBase.length())) >= 0)) {
                String clientHost = context.request().headers().get(HttpHeaderNames.HOST);
                if (clientHost == null) {
                    return;
                }
                head.headers().set(header, context.connection().scheme() + "://" + clientHost + value.substring(upstreamBase.length()));
            }
        }
    }
}
