package io.edgegate.dataplane.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;

/** Connection-wide events of an HTTP/2 connection: close it when idle with no stream open, or go away when the listener drains. */
final class Http2Connection extends ChannelInboundHandlerAdapter {

    private final Http2FrameCodec codec;

    Http2Connection(Http2FrameCodec codec) {
        this.codec = codec;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            if (codec.connection().numActiveStreams() == 0) {
                ctx.close();
            }
        } else if (event == DrainEvent.INSTANCE) {
            // Closing through the codec sends GOAWAY and lets open streams finish.
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
