package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.HopByHop;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.edgegate.spec.filter.simplehttpproxy.SimpleHttpProxySpec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.edgegate.async.Causes;
import io.edgegate.dataplane.upstream.UpstreamTimeoutException;

/**
 * SimpleHTTPProxy: the request goes where its own URL (or Host) says, over the node's upstream
 * connections; it lives beside the Proxy because it forwards requests the same way (hop-by-hop
 * headers, X-Forwarded-For, Host of the target).
 */
final class SimpleHttpProxyFilter implements Filter {

    private final SimpleHttpProxySpec spec;
    private final UpstreamClient client;

    SimpleHttpProxyFilter(SimpleHttpProxySpec spec, UpstreamClient client) {
        this.spec = spec;
        this.client = client;
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        context.ensureUnanswered();
        HttpRequest request = context.request();
        Upstream target = target(request);
        if (target == null) {
            context.respond(HttpResponseStatus.BAD_REQUEST, "the request names no host to send it to");
            return CompletableFuture.completedFuture(ProxySpec.RESULT_CLIENT_ERROR);
        }
        HttpRequest forwarded = ForwardedRequest.build(context, target);
        CompletableFuture<UpstreamResponse> sent = client.send(context.eventLoop(), target.address(), forwarded, context.requestBody(),
                client.maxIdlePerServer(), !spec.timeout().isZero());
        context.onAbort(() -> {
            if (!sent.cancel(false)) {
                sent.thenAccept(r -> r.body().discard());
            }
        });
        if (!spec.timeout().isZero()) {
            var timer = context.eventLoop().schedule(() -> sent.completeExceptionally(new TimeoutException()),
                    spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
            sent.whenComplete((r, e) -> timer.cancel(false));
        }
        return sent.handle((response, error) -> {
            context.put(RequestKeys.UPSTREAM, target.url());
            if (error != null) {
                Throwable cause = Causes.unwrap(error);
                if (cause instanceof TimeoutException || cause instanceof UpstreamTimeoutException) {
                    context.respond(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream did not answer in time");
                    return SimpleHttpProxySpec.RESULT_TIMEOUT;
                }
                context.put(RequestKeys.UPSTREAM_FAILED, true);
                context.respond(HttpResponseStatus.BAD_GATEWAY, "upstream unavailable");
                return ProxySpec.RESULT_SERVER_ERROR;
            }
            context.put(RequestKeys.UPSTREAM_STATUS, response.head().status().code());
            if (response.upgraded() == null) {
                HopByHop.stripResponse(response.head());
            }
            context.respond(new Response(response.head(), response.body(), response.upgraded()));
            return SUCCESS;
        });
    }

    /** The absolute URL of the request line, else its Host over http; null when it names neither. */
    private static Upstream target(HttpRequest request) {
        String uri = request.uri();
        String scheme = "http";
        String authority;
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            URI absolute;
            try {
                absolute = URI.create(uri);
            } catch (IllegalArgumentException e) {
                return null;
            }
            scheme = absolute.getScheme();
            authority = absolute.getRawAuthority();
        } else {
            authority = request.headers().get(HttpHeaderNames.HOST);
        }
        if (authority == null || authority.isEmpty()) {
            return null;
        }
        URI parsed;
        try {
            parsed = URI.create(scheme + "://" + authority);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return parsed.getHost() == null ? null : Upstream.of(parsed);
    }
}
