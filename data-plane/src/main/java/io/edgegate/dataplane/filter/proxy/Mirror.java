package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.http.TeeBody;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.tracing.UpstreamSpan;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a copy of each request its filter selects (every request without one) to the mirror
 * pool and ignores the answer, so a new version
 * sees real traffic without affecting a single client. The copy's body is taken from the
 * body as the main request streams it (up to {@link #MAX_BODY} bytes; larger requests are
 * not mirrored) and sent once complete.
 */
final class Mirror {

    static final int MAX_BODY = 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final ServerPool pool;
    private final Optional<PoolSelector> selector;
    private final UpstreamClient client;
    private final int maxIdlePerServer;

    Mirror(ServerPool pool, Optional<PoolSelector> selector, UpstreamClient client, int maxIdlePerServer) {
        this.pool = pool;
        this.selector = selector;
        this.client = client;
        this.maxIdlePerServer = maxIdlePerServer;
    }

    /** Starts mirroring {@code context}'s request with {@code body}; returns the body the main request must read from now on. */
    BodyStream mirror(RequestContext context, BodyStream body) {
        if (selector.isPresent() && !selector.get().selects(context)) {
            return body;
        }
        Upstream server = pool.pick(context);
        if (server == null) {
            return body;
        }
        HttpRequest copy = ForwardedRequest.build(context, server);
        if (body.contentLength() == 0) {
            send(context, server, copy, BodyStream.EMPTY);
            return body;
        }
        if (body.contentLength() > MAX_BODY) {
            pool.finished(server, null);
            return body;
        }
        return new TeeBody(body, context.alloc().compositeBuffer(Integer.MAX_VALUE), MAX_BODY,
                tee -> send(context, server, copy, new FixedBody(tee)), () -> pool.finished(server, null));
    }

    private void send(RequestContext context, Upstream server, HttpRequest head, BodyStream body) {
        UpstreamSpan span = context.trace().startUpstream(head, pool.spanName(), server.address().host(), server.address().port(),
                server.url(), true);
        CompletableFuture<UpstreamResponse> sent = client.send(context.eventLoop(), server.address(), head, body, maxIdlePerServer);
        span.follow(sent);
        sent.whenComplete((response, error) -> {
            pool.finished(server, error == null ? response.head() : null);
            if (error != null) {
                log.debug("mirror to {} failed: {}", server.address(), error.toString());
            } else {
                response.body().discard();
            }
        });
    }

    ServerPool pool() {
        return pool;
    }

    void close() {
        pool.close();
    }
}
