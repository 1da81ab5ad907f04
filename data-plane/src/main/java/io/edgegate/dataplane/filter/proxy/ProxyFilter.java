package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.HopByHop;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterResults;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the request to a server of the main pool and makes its response the pipeline's.
 * No server → 503 ({@code internalError}); the server cannot be reached or breaks the
 * exchange → 502 ({@code serverError}).
 */
final class ProxyFilter implements Filter {

    private static final Logger log = LoggerFactory.getLogger(ProxyFilter.class);

    private final String name;
    private final ServerPool pool;
    private final UpstreamClient client;
    private final FilterResults results = new FilterResults(ProxySpec.SPEC_KIND.results());

    ProxyFilter(ProxySpec spec, UpstreamClient client) {
        this.name = spec.name();
        this.pool = new ServerPool(spec.mainPool());
        this.client = client;
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        Upstream server = pool.pick(context);
        if (server == null) {
            context.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "no server available");
            return results.of(ProxySpec.RESULT_INTERNAL_ERROR);
        }
        return client.send(context.eventLoop(), server.address(), ForwardedRequest.build(context, server))
                .handle((response, error) -> {
                    if (error != null) {
                        log.debug("proxy {}: {} failed: {}", name, server.address(), error.getMessage());
                        context.respond(HttpResponseStatus.BAD_GATEWAY, "upstream unavailable");
                        return ProxySpec.RESULT_SERVER_ERROR;
                    }
                    context.respond(clean(response, context.request().method()));
                    return SUCCESS;
                });
    }

    /**
     * Strips hop-by-hop headers and frames the buffered body with its length. Responses that
     * never have a body (to HEAD, 1xx, 204, 304) keep the upstream's Content-Length, which
     * describes the resource, not this message.
     */
    private static FullHttpResponse clean(FullHttpResponse response, HttpMethod method) {
        HopByHop.strip(response.headers());
        int code = response.status().code();
        boolean bodiless = method.equals(HttpMethod.HEAD) || code < 200 || code == 204 || code == 304;
        if (!bodiless) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        }
        return response;
    }
}
