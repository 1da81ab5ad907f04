package io.edgegate.dataplane.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP/2 connection (client or server side) that carried no stream for the idle
 * timeout of the {@code IdleStateHandler} before it; a connection with open streams stays.
 */
public class Http2IdleCloser extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(Http2IdleCloser.class);

    private final Http2ConnectionHandler codec;

    public Http2IdleCloser(Http2ConnectionHandler codec) {
        this.codec = codec;
    }

    /** The connection's HTTP/2 handler: its streams, windows and flow control. */
    protected Http2ConnectionHandler codec() {
        return codec;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            if (codec.connection().numActiveStreams() == 0) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Every stream the connection carries fails with it: a peer that went away, mostly (at debug, as the
        // HTTP/1.1 side logs it), and the one trace of why when it is something else.
        log.debug("HTTP/2 connection {} closed with {} open streams: {}", ctx.channel().remoteAddress(),
                codec.connection().numActiveStreams(), cause.toString());
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            // A protocol error the codec found (a flood, a bad frame): it sends GOAWAY with that error's code and
            // closes the connection itself. Closing here first would tell the peer NO_ERROR instead.
            return;
        }
        ctx.close();
    }
}
