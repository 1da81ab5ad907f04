package io.edgegate.dataplane.filter.proxy;

import io.edgegate.async.Causes;
import io.edgegate.dataplane.http.BodyTooLargeException;
import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.http.HopByHop;
import io.edgegate.dataplane.http.MalformedBodyException;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterResults;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.dataplane.pipeline.RetryPlan;
import io.edgegate.dataplane.resilience.Circuit;
import io.edgegate.dataplane.resilience.PolicyPlan;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.dataplane.upstream.UpstreamException;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the request to a server of the first candidate pool that selects it, else of the
 * main pool (and a copy to the mirror pool), streaming its body, and makes the
 * upstream's response (streamed too) the pipeline's. No server → 503 ({@code internalError});
 * the server cannot be reached or breaks the exchange → 502 ({@code serverError}). An upgrade
 * (WebSocket) answered with 101 turns into a byte tunnel to that server.
 */
final class ProxyFilter implements Filter {

    private static final Logger log = LoggerFactory.getLogger(ProxyFilter.class);
    /** Request bodies up to this size are held in memory when a retry plan may need to send them again. */
    static final int REPLAY_LIMIT = 64 * 1024;
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

    private final String name;
    private final ServerPool mainPool;
    /** Candidate pools in order, each with the filter that selects its requests. */
    private final List<Candidate> candidates;
    private final Mirror mirror;
    /** Null when the Proxy has no compression. */
    private final ResponseCompression compression;
    private final UpstreamClient client;
    private final String upstreamHeader;
    private final FilterResults results = new FilterResults(ProxySpec.SPEC_KIND.results());

    ProxyFilter(ProxySpec spec, UpstreamClient client, PoolServices services) {
        this.name = spec.name();
        this.mainPool = new ServerPool(spec.mainPool(), services);
        this.candidates = spec.candidatePools().stream()
                .map(p -> new Candidate(new PoolSelector(p.filter().orElseThrow()), new ServerPool(p, services))).toList();
        this.mirror = spec.mirrorPool().map(p -> new Mirror(new ServerPool(p, services), client)).orElse(null);
        this.compression = spec.compression().map(ResponseCompression::new).orElse(null);
        this.client = client;
        this.upstreamHeader = spec.upstreamHeader().orElse(null);
    }

    private record Candidate(PoolSelector selector, ServerPool pool) {
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        // A request another filter answered never goes upstream, whatever the flow says.
        context.ensureUnanswered();
        ServerPool pool = poolFor(context);
        ResponseCache cache = pool.cache();
        ResponseCache.Lookup cached = cache == null ? null : cache.lookup(context.request());
        if (cached != null && cached.fresh() != null) {
            context.respond(cached.fresh().toResponse(System.nanoTime(), "HIT"));
            return FilterResults.success();
        }
        Circuit circuit = pool.circuit();
        if (circuit != null && !circuit.tryAcquire()) {
            context.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "circuit open: the service is failing, try again later");
            return results.of(ProxySpec.RESULT_SHORT_CIRCUITED);
        }
        Upstream server = pool.pick(context);
        if (server == null) {
            if (circuit != null) {
                circuit.release();
            }
            context.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "no server available");
            return results.of(ProxySpec.RESULT_INTERNAL_ERROR);
        }
        if (mirror != null) {
            context.replaceRequestBody(mirror.mirror(context));
        }
        long deadline = deadline(pool, context);
        PolicyPlan poolRetry = pool.retry();
        if (poolRetry != null) {
            poolRetry.requested();
        }
        RetryPlan plan = poolRetry != null ? poolRetry : context.retryPlan();
        CompletionStage<String> result;
        if (plan == null) {
            result = attempt(context, server, cached, deadline, context.requestBody())
                    .handle((response, error) -> finish(context, pool, server, cached, response, error));
        } else {
            CompletableFuture<String> retried = new CompletableFuture<>();
            long length = context.requestBody().contentLength();
            if (length > 0 && length <= REPLAY_LIMIT) {
                // A small body is read whole first so that a retry can send it again.
                BodyCollector.collect(context.requestBody(), context.alloc(), REPLAY_LIMIT).whenComplete((body, error) -> {
                    if (error != null) {
                        Throwable cause = Causes.unwrap(error);
                        if (cause instanceof BodyTooLargeException) {
                            context.respond(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, cause.getMessage());
                        } else {
                            context.respond(HttpResponseStatus.BAD_REQUEST, "the request body did not arrive whole");
                        }
                        retried.complete(ProxySpec.RESULT_CLIENT_ERROR);
                        return;
                    }
                    retried.whenComplete((r, e) -> body.release());
                    attemptWithRetries(context, pool, server, cached, deadline, plan, 1, body, retried);
                });
            } else {
                attemptWithRetries(context, pool, server, cached, deadline, plan, 1, null, retried);
            }
            result = retried;
        }
        if (circuit != null) {
            long started = System.nanoTime();
            result = result.whenComplete((outcome, error) -> reportTo(circuit, pool, context, System.nanoTime() - started));
        }
        return result;
    }

    /** The pool's circuit learns how the call went: the answer's status, or the server not reached in time. */
    private static void reportTo(Circuit circuit, ServerPool pool, RequestContext context, long elapsedNanos) {
        Response response = context.response();
        if (context.isAborted() || response == null) {
            circuit.release();
            return;
        }
        boolean failed = (context.upstreamFailed() && pool.countsNetworkFailures()) || pool.isFailure(response.head().status().code());
        circuit.record(failed, elapsedNanos);
    }

    /** Sends the request to {@code server}; past {@code deadline} the answer fails with {@link ResponseTimeout}. */
    private CompletableFuture<UpstreamResponse> attempt(RequestContext context, Upstream server, ResponseCache.Lookup cached,
                                                        long deadline, BodyStream body) {
        if (deadline - System.nanoTime() <= 0) {
            body.discard();
            return CompletableFuture.failedFuture(new ResponseTimeout());
        }
        HttpRequest forwarded = ForwardedRequest.build(context, server);
        if (cached != null) {
            ResponseCache.addValidators(cached, forwarded.headers());
        }
        var sent = client.send(context.eventLoop(), server.address(), forwarded, body);
        if (deadline != Long.MAX_VALUE) {
            // Failing the exchange before its answer closes the upstream connection: the server stops working for nobody.
            var timer = context.eventLoop().schedule(() -> sent.completeExceptionally(new ResponseTimeout()),
                    deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            sent.whenComplete((r, e) -> timer.cancel(false));
        }
        context.onAbort(() -> {
            if (!sent.cancel(false)) {
                sent.thenAccept(r -> {
                    r.body().discard();
                    if (r.upgraded() != null) {
                        r.upgraded().close();
                    }
                });
            }
        });
        return sent;
    }

    /**
     * Attempts until one succeeds, the plan or its budget allows no more, or sending again is
     * not safe: a request is sent again only when its body is held ({@code replay}, up to
     * {@link #REPLAY_LIMIT}) or it has none, and only when its method is idempotent or it never
     * reached the server. Each retry may go to another server.
     */
    private void attemptWithRetries(RequestContext context, ServerPool pool, Upstream server, ResponseCache.Lookup cached,
                                    long deadline, RetryPlan plan, int attemptNumber, ByteBuf replay,
                                    CompletableFuture<String> result) {
        BodyStream body = replay != null ? new FixedBody(replay.retainedDuplicate())
                : attemptNumber == 1 ? context.requestBody() : BodyStream.EMPTY;
        attempt(context, server, cached, deadline, body).whenComplete((response, error) -> {
            Throwable cause = Causes.unwrap(error);
            int status = response != null ? response.head().status().code() : 0;
            boolean retry = attemptNumber < plan.maxAttempts() && !context.isAborted()
                    && !(cause instanceof BodyTooLargeException) && plan.failed(status) && safeToResend(context, replay != null, cause);
            long wait = retry ? plan.backoffNanos(attemptNumber) : 0;
            if (!retry || System.nanoTime() + wait >= deadline || !plan.takeRetry()) {
                result.complete(finish(context, pool, server, cached, response, error));
                return;
            }
            pool.finished(server, response == null ? null : response.head());
            if (response != null) {
                response.body().discard();
            }
            context.eventLoop().schedule(() -> {
                Upstream next = pool.pick(context);
                if (next == null) {
                    context.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "no server available");
                    result.complete(ProxySpec.RESULT_INTERNAL_ERROR);
                    return;
                }
                attemptWithRetries(context, pool, next, cached, deadline, plan, attemptNumber + 1, replay, result);
            }, wait, TimeUnit.NANOSECONDS);
        });
    }

    private static boolean safeToResend(RequestContext context, boolean bodyHeld, Throwable cause) {
        if (!bodyHeld && context.requestBody().contentLength() != 0) {
            return false;
        }
        boolean neverSent = cause instanceof UpstreamException u && u.connectFailed();
        return neverSent || IDEMPOTENT.contains(context.request().method());
    }

    /** Makes the upstream's answer (or the failure to get one) the pipeline's; the result of the Proxy. */
    private String finish(RequestContext context, ServerPool pool, Upstream server, ResponseCache.Lookup cached,
                          UpstreamResponse response, Throwable error) {
        Throwable cause = Causes.unwrap(error);
        if (cause instanceof BodyTooLargeException || cause instanceof MalformedBodyException) {
            pool.abandonedByClient(server);
        } else {
            pool.finished(server, error == null ? response.head() : null);
        }
        if (error != null) {
            if (cause instanceof ResponseTimeout) {
                context.markUpstreamFailed();
                context.respond(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream did not answer in time");
                return ProxySpec.RESULT_SERVER_ERROR;
            }
            if (cause instanceof BodyTooLargeException) {
                context.respond(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, cause.getMessage());
                return ProxySpec.RESULT_CLIENT_ERROR;
            }
            if (cause instanceof MalformedBodyException) {
                // The client's fault, not the server's: no 502, nothing counted against the server.
                context.respond(HttpResponseStatus.BAD_REQUEST, cause.getMessage());
                return ProxySpec.RESULT_CLIENT_ERROR;
            }
            log.debug("proxy {}: {} failed: {}", name, server.address(), cause.toString());
            context.markUpstreamFailed();
            context.respond(HttpResponseStatus.BAD_GATEWAY, "upstream unavailable");
            return ProxySpec.RESULT_SERVER_ERROR;
        }
        ResponseCache cache = pool.cache();
        if (cached != null && cached.stale() != null && response.head().status().code() == 304
                && !context.request().headers().contains(HttpHeaderNames.IF_NONE_MATCH)
                && !context.request().headers().contains(HttpHeaderNames.IF_MODIFIED_SINCE)) {
            response.body().discard();
            context.respond(cache.revalidated(cached, response.head()).toResponse(System.nanoTime(), "REVALIDATED"));
            return SUCCESS;
        }
        Response answer = answer(response, server, context);
        if (cached != null) {
            answer = cache.storeWhileStreaming(context.request(), answer, context.alloc());
        }
        if (compression != null && answer.tunnel() == null) {
            answer = new Response(answer.head(), compression.apply(context.request(), answer.head(), answer.body()));
        }
        if (upstreamHeader != null) {
            answer.head().headers().set(upstreamHeader, server.url());
        }
        context.respond(answer);
        return pool.isFailureCode(answer.head().status().code()) ? ProxySpec.RESULT_FAILURE_CODE : SUCCESS;
    }

    @Override
    public List<String> status() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("main pool: " + mainPool.status());
        for (int i = 0; i < candidates.size(); i++) {
            lines.add("candidate pool " + (i + 1) + ": " + candidates.get(i).pool().status());
        }
        return lines;
    }

    @Override
    public void close() {
        mainPool.close();
        candidates.forEach(c -> c.pool().close());
        if (mirror != null) {
            mirror.close();
        }
    }

    /** The earlier of the pool's timeout and the request's time limit (a TimeLimiter's), as a nanoTime. */
    private static long deadline(ServerPool pool, RequestContext context) {
        long poolDeadline = pool.timeoutNanos() == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + pool.timeoutNanos();
        return Math.min(poolDeadline, context.deadlineNanos());
    }

    /** The upstream's answer did not come before the deadline. */
    private static final class ResponseTimeout extends RuntimeException {
        ResponseTimeout() {
            super("upstream response timeout", null, false, false);
        }
    }

    private ServerPool poolFor(RequestContext context) {
        for (Candidate candidate : candidates) {
            if (candidate.selector().selects(context)) {
                return candidate.pool();
            }
        }
        return mainPool;
    }

    private static Response answer(UpstreamResponse upstream, Upstream server, RequestContext context) {
        HttpResponse head = upstream.head();
        if (upstream.upgraded() == null) {
            HopByHop.strip(head.headers());
        }
        hideUpstream(head, server, context);
        return new Response(head, upstream.body(), upstream.upgraded());
    }

    /** A redirect that names the upstream server itself is rewritten to the address the client used. */
    private static void hideUpstream(HttpResponse head, Upstream server, RequestContext context) {
        String clientHost = context.request().headers().get(HttpHeaderNames.HOST);
        if (clientHost == null) {
            return;
        }
        String upstreamBase = server.url();
        for (CharSequence header : new CharSequence[] {HttpHeaderNames.LOCATION, HttpHeaderNames.CONTENT_LOCATION}) {
            String value = head.headers().get(header);
            if (value != null && value.startsWith(upstreamBase)
                    && (value.length() == upstreamBase.length() || "/?#".indexOf(value.charAt(upstreamBase.length())) >= 0)) {
                head.headers().set(header, context.connection().scheme() + "://" + clientHost + value.substring(upstreamBase.length()));
            }
        }
    }
}
