package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.Http2IdleCloser;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection-wide events of a server HTTP/2 connection: closed when idle with no stream open, or
 * gone away when the listener drains. A stream whose response waited only for the client's
 * flow-control window at two idle events in a row, with nothing from the client between (it
 * advertised a zero window and never opened it: a slow-read attack, or a client that stopped
 * reading), is reset, as NGINX's {@code send_timeout} closes such a connection: it would otherwise
 * hold its upstream exchange and buffers for as long as the client likes. The connection, then
 * idle, closes later. A client that takes nothing from the socket for an idle time
 * ({@link SendStall}) has the connection closed.
 */
final class Http2Connection extends Http2IdleCloser {

    private static final Logger log = LoggerFactory.getLogger(Http2Connection.class);

    private final SendStall sendStall = new SendStall();
    /** Streams held by the client's window at the last idle event, with no frame from it since: reset if still held at the next. */
    private Set<Integer> heldAtLastCheck = Set.of();

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
        if (event instanceof IdleStateEvent) {
            if (sendStall.stalledAt(ctx.channel().isWritable())) {
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
        sendStall.writabilityChanged(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // The client sent something (a WINDOW_UPDATE, maybe): its held streams start their wait again.
        heldAtLastCheck = Set.of();
        ctx.fireChannelReadComplete();
    }

    private void resetStreamsStalledByTheClient(ChannelHandlerContext ctx) {
        Http2FrameCodec codec = codec();
        var connection = codec.connection();
        Http2RemoteFlowController flow = connection.remote().flowController();
        boolean connectionWindowShut = flow.windowSize(connection.connectionStream()) <= 0;
        Set<Integer> held = new HashSet<>();
        try {
            connection.forEachActiveStream(stream -> {
                if (flow.hasFlowControlled(stream) && (connectionWindowShut || flow.windowSize(stream) <= 0)) {
                    held.add(stream.id());
                }
                return true;
            });
        } catch (Http2Exception visitorFailed) {
            // Only a visitor throws it, and this one does not.
            throw new IllegalStateException(visitorFailed);
        }
        // Held now and at the last idle event, with nothing from the client between: held a whole idle time.
        List<Integer> stalled = held.stream().filter(heldAtLastCheck::contains).toList();
        heldAtLastCheck = held;
        if (stalled.isEmpty()) {
            return;
        }
        log.debug("HTTP/2 connection {}: resetting {} streams whose response the client's window held for a whole idle time",
                ctx.channel().remoteAddress(), stalled.size());
        ChannelHandlerContext codecContext = ctx.pipeline().context(codec);
        for (int id : stalled) {
            codec.resetStream(codecContext, id, Http2Error.CANCEL.code(), codecContext.newPromise());
        }
        codecContext.flush();
    }
}
