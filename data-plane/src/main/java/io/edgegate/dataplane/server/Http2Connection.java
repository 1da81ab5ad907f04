package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.Http2IdleCloser;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection-wide events of a server HTTP/2 connection: closed when idle with no stream open, or
 * gone away when the listener drains. A client that sent nothing for the whole idle time while
 * response data waits only for its flow-control window (it advertised a zero window and never
 * opened it: a slow-read attack, or a client that stopped reading) has those streams reset, as
 * NGINX's {@code send_timeout} closes such a connection: they would otherwise hold their upstream
 * exchanges and buffers for as long as the client likes. The connection, then idle, closes later.
 * A client that does not even read the socket has the connection closed.
 */
final class Http2Connection extends Http2IdleCloser {

    private static final Logger log = LoggerFactory.getLogger(Http2Connection.class);

    private final Http2FrameCodec codec;
    /** Whether the channel turned writable since the last idle event (see Http1Connection). */
    private boolean writableSinceIdleCheck;

    Http2Connection(Http2FrameCodec codec) {
        super(codec);
        this.codec = codec;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == DrainEvent.INSTANCE) {
            // Closing through the codec sends GOAWAY and lets open streams finish.
            ctx.close();
            return;
        }
        if (event instanceof IdleStateEvent) {
            boolean readsNothing = !ctx.channel().isWritable() && !writableSinceIdleCheck;
            writableSinceIdleCheck = false;
            if (readsNothing) {
                // Not even the socket drains (as HTTP/1.1 judges it): closed past the codec, whose GOAWAY could
                // never be written to this client.
                log.debug("closing HTTP/2 connection {}: the client reads nothing", ctx.channel().remoteAddress());
                ctx.pipeline().firstContext().close();
                return;
            }
            resetStreamsStalledByTheClient(ctx);
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writableSinceIdleCheck |= ctx.channel().isWritable();
        ctx.fireChannelWritabilityChanged();
    }

    private void resetStreamsStalledByTheClient(ChannelHandlerContext ctx) {
        var connection = codec.connection();
        Http2RemoteFlowController flow = connection.remote().flowController();
        boolean connectionWindowShut = flow.windowSize(connection.connectionStream()) <= 0;
        List<Integer> stalled = new ArrayList<>();
        try {
            connection.forEachActiveStream(stream -> {
                if (flow.hasFlowControlled(stream) && (connectionWindowShut || flow.windowSize(stream) <= 0)) {
                    stalled.add(stream.id());
                }
                return true;
            });
        } catch (Http2Exception visitorFailed) {
            // Only a visitor throws it, and this one does not.
            throw new IllegalStateException(visitorFailed);
        }
        if (stalled.isEmpty()) {
            return;
        }
        log.debug("HTTP/2 connection {}: resetting {} streams whose response the client's window held for the whole idle time",
                ctx.channel().remoteAddress(), stalled.size());
        ChannelHandlerContext codecContext = ctx.pipeline().context(codec);
        for (int id : stalled) {
            codec.resetStream(codecContext, id, Http2Error.CANCEL.code(), codecContext.newPromise());
        }
        codecContext.flush();
    }
}
