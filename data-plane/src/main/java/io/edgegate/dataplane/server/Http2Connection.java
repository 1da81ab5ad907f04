package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.Http2IdleCloser;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2FrameCodec;

/** Connection-wide events of a server HTTP/2 connection: closed when idle with no stream open, or gone away when the listener drains. */
final class Http2Connection extends Http2IdleCloser {

    Http2Connection(Http2FrameCodec codec) {
        super(codec);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == DrainEvent.INSTANCE) {
            // Closing through the codec sends GOAWAY and lets open streams finish.
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }
}
