package io.edgegate.dataplane.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;

/**
 * The last handler of an upstream connection: completes the pending exchange with the
 * response, or fails it when the connection breaks first. Ownership of the response passes to
 * whoever completes on the future.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private CompletableFuture<FullHttpResponse> pending;

    void begin(CompletableFuture<FullHttpResponse> exchange) {
        pending = exchange;
    }

    boolean busy() {
        return pending != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        CompletableFuture<FullHttpResponse> exchange = pending;
        if (exchange == null || !(msg instanceof FullHttpResponse response)) {
            // Nobody asked: an unsolicited response means the connection's framing cannot be trusted.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        pending = null;
        if (!response.decoderResult().isSuccess()) {
            response.release();
            exchange.completeExceptionally(new UpstreamException("malformed response from upstream: "
                    + response.decoderResult().cause(), response.decoderResult().cause(), false));
            ctx.close();
            return;
        }
        if (!exchange.complete(response)) {
            response.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new UpstreamException("upstream closed the connection before responding", null, false));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(new UpstreamException("upstream connection failed: " + cause.getMessage(), cause, false));
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && pending == null) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    void fail(UpstreamException error) {
        CompletableFuture<FullHttpResponse> exchange = pending;
        pending = null;
        if (exchange != null) {
            exchange.completeExceptionally(error);
        }
    }
}
