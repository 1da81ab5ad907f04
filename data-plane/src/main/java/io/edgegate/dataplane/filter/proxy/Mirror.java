package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.BodyReceiver;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a copy of each request to the mirror pool and ignores the answer, so a new version
 * sees real traffic without affecting a single client. The copy's body is taken from the
 * body as the main request streams it (up to {@link #MAX_BODY} bytes; larger requests are
 * not mirrored) and sent once complete.
 */
final class Mirror {

    static final int MAX_BODY = 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final ServerPool pool;
    private final UpstreamClient client;

    Mirror(ServerPool pool, UpstreamClient client) {
        this.pool = pool;
        this.client = client;
    }

    /** Starts mirroring {@code context}'s request; returns the body the main request must read from now on. */
    BodyStream mirror(RequestContext context) {
        Upstream server = pool.pick(context);
        if (server == null) {
            return context.requestBody();
        }
        HttpRequest copy = ForwardedRequest.build(context, server);
        BodyStream body = context.requestBody();
        if (body.contentLength() == 0) {
            send(context, server, copy, BodyStream.EMPTY);
            return body;
        }
        if (body.contentLength() > MAX_BODY) {
            pool.finished(server, null);
            return body;
        }
        return new Tee(body, context.alloc().compositeBuffer(), tee -> send(context, server, copy, new FixedBody(tee)),
                () -> pool.finished(server, null));
    }

    private void send(RequestContext context, Upstream server, HttpRequest head, BodyStream body) {
        client.send(context.eventLoop(), server.address(), head, body).whenComplete((response, error) -> {
            pool.finished(server, error == null ? response.head() : null);
            if (error != null) {
                log.debug("mirror to {} failed: {}", server.address(), error.toString());
            } else {
                response.body().discard();
            }
        });
    }

    /** The main request's body, copying each chunk it passes for the mirror. */
    private static final class Tee implements BodyStream {

        private final BodyStream source;
        private final CompositeByteBuf copy;
        private final java.util.function.Consumer<ByteBuf> onComplete;
        private final Runnable onAbandon;
        private boolean abandoned;

        Tee(BodyStream source, CompositeByteBuf copy, java.util.function.Consumer<ByteBuf> onComplete, Runnable onAbandon) {
            this.source = source;
            this.copy = copy;
            this.onComplete = onComplete;
            this.onAbandon = onAbandon;
        }

        @Override
        public void pull(BodyReceiver receiver) {
            source.pull(new BodyReceiver() {
                @Override
                public void onChunk(ByteBuf chunk) {
                    if (!abandoned) {
                        if (copy.readableBytes() + chunk.readableBytes() > MAX_BODY) {
                            abandon();
                        } else {
                            copy.addComponent(true, chunk.retainedDuplicate());
                        }
                    }
                    receiver.onChunk(chunk);
                }

                @Override
                public void onEnd(HttpHeaders trailers) {
                    if (!abandoned) {
                        abandoned = true;
                        onComplete.accept(copy);
                    }
                    receiver.onEnd(trailers);
                }

                @Override
                public void onError(Throwable cause) {
                    abandon();
                    receiver.onError(cause);
                }
            });
        }

        @Override
        public void discard() {
            abandon();
            source.discard();
        }

        @Override
        public long contentLength() {
            return source.contentLength();
        }

        @Override
        public boolean isReadyNow() {
            return source.isReadyNow();
        }

        private void abandon() {
            if (!abandoned) {
                abandoned = true;
                copy.release();
                onAbandon.run();
            }
        }
    }
}
