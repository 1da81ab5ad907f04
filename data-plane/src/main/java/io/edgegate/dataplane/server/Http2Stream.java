package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.PlainResponses;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one HTTP/2 stream, already converted to HTTP objects: route, run the pipeline,
 * write the response with its trailers. The stream's auto-read is off, so its body is read
 * (and its flow-control window reopened) only as the pipeline consumes it.
 */
final class Http2Stream extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(Http2Stream.class);

    private final Supplier<ServerState> state;
    private final RequestContext.Connection connection;
    private Exchange exchange;
    private RequestBody body;
    private boolean responseDone;

    Http2Stream(Supplier<ServerState> state, RequestContext.Connection connection) {
        this.state = state;
        this.connection = connection;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && exchange == null) {
            start(ctx, request);
            if (msg instanceof HttpContent content && body != null) {
                body.offer(content);
            } else {
                ReferenceCountUtil.release(msg);
            }
        } else if (msg instanceof HttpContent content && body != null) {
            body.offer(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void start(ChannelHandlerContext ctx, HttpRequest request) {
        java.util.Optional<RequestChecks.Refusal> refusal = RequestChecks.checkHttp2(request);
        if (refusal.isPresent()) {
            Exchange.refusedOnHead(state.get(), request, ctx.channel().parent(), true, refusal.get().status().code(),
                    PlainResponses.bodyLength(refusal.get().status(), refusal.get().reason()));
            ctx.writeAndFlush(PlainResponses.of(ctx.alloc(), refusal.get().status(), refusal.get().reason()))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ServerState current = state.get();
        // Headers that end the stream carry no body; otherwise the length is known only if the client said it.
        long contentLength = request instanceof io.netty.handler.codec.http.FullHttpRequest full
                ? full.content().readableBytes() : HttpUtil.getContentLength(request, -1L);
        Admission.Outcome outcome = Admission.admit(request, current, (InetSocketAddress) ctx.channel().remoteAddress(),
                contentLength);
        if (outcome instanceof Admission.Refused refused) {
            Exchange.refusedOnHead(current, request, ctx.channel().parent(), true, refused.status().code(),
                    PlainResponses.bodyLength(refused.status(), refused.reason()));
            // Answered, then reset: the body that may still be coming is not wanted.
            ctx.writeAndFlush(PlainResponses.of(ctx.alloc(), refused.status(), refused.reason()))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Admission.Admitted admitted = (Admission.Admitted) outcome;
        body = new RequestBody(ctx.channel(), admitted.contentLength(), admitted.bodyLimit(), admitted.expectContinue(), () -> { });
        Exchange started = Exchange.start(admitted.match(), request, body, ctx.channel(), current, connection);
        exchange = started;
        started.response().thenAccept(response -> respond(ctx, request, response));
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest request, Response response) {
        if (!ctx.channel().isActive() || response.tunnel() != null) {
            // A reset stream, or an upgrade, which HTTP/2 does not have.
            response.body().discard();
            exchange.written(0, false);
            ctx.close();
            return;
        }
        ResponseWriter.Pumped written = ResponseWriter.http2(ctx.channel(), response, request.method());
        written.done().whenComplete((ok, error) -> {
            exchange.written(written.bytes().getAsLong(), error == null);
            responseDone = true;
            if (error != null) {
                log.debug("response on stream {} not completed: {}", ctx.channel(), error.toString());
                exchange.abort();
                ctx.close();
            } else {
                // Answered before the body ended (e.g. 413) the rest is not wanted; a body nobody read still holds its chunks.
                body.discard();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (body != null) {
            body.connectionClosed();
        }
        if (exchange != null && !responseDone) {
            exchange.abort();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (exchange == null && cause instanceof io.netty.handler.codec.DecoderException) {
            // A malformed request (e.g. a host that conflicts with :authority): refused as HTTP/1.1 refuses it.
            String reason = cause.getCause() == null ? "malformed request" : cause.getCause().getMessage();
            ctx.writeAndFlush(PlainResponses.of(ctx.alloc(), HttpResponseStatus.BAD_REQUEST, reason))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        log.debug("stream {} failed: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
