package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.Http2IdleCloser;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection-wide events of a server HTTP/2 connection: closed when idle with no stream open, or
 * gone away when the listener drains. Two send timeouts, as NGINX's {@code send_timeout}, each the
 * idle time long and blind to whatever else the client sends (PINGs, other streams):
 * <ul>
 * <li>a stream whose response waited for a flow-control window the client did not open once in
 * that time (it advertised a zero window: a slow-read attack, or a client that stopped reading) is
 * reset, so it no longer holds its upstream exchange and buffers; the connection, then idle,
 * closes later;</li>
 * <li>a connection whose socket took nothing of what waits in its buffer in that time
 * ({@link SendTimeout}) is closed.</li>
 * </ul>
 * And a stream whose request body the client left unsent for that time, though it could send, is reset
 * (NGINX's {@code client_body_timeout}), whatever else the connection carries.
 */
final class Http2Connection extends Http2IdleCloser {

    private static final Logger log = LoggerFactory.getLogger(Http2Connection.class);
    private static final long MIN_CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SendTimeout sendTimeout;
    private final WindowUpdates windowUpdates;
    private final long timeoutNanos;
    /** A stream's property: when it was first seen held by a window that has not opened since (nanoTime). */
    private final io.netty.handler.codec.http2.Http2Connection.PropertyKey heldSince;

    private final Http2ServerHandler streams;

    Http2Connection(Http2ServerHandler codec, Duration timeout) {
        super(codec);
        this.streams = codec;
        this.timeoutNanos = timeout.toNanos();
        this.sendTimeout = new SendTimeout(timeout, Http2Connection::closeStalled);
        var connection = codec.connection();
        this.windowUpdates = new WindowUpdates(codec.decoder().frameListener(), connection);
        codec.decoder().frameListener(windowUpdates);
        this.heldSince = connection.newKey();
    }

    /** Not even the socket drains: closed past the codec, whose GOAWAY could never be written to this client. */
    private static void closeStalled(ChannelHandlerContext ctx) {
        log.debug("closing HTTP/2 connection {}: the client reads nothing", ctx.channel().remoteAddress());
        ctx.pipeline().firstContext().close();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        scheduleHeldStreamCheck(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == DrainEvent.INSTANCE) {
            // Closing through the codec sends GOAWAY and lets open streams finish.
            ctx.close();
            return;
        }
        if (event instanceof IdleStateEvent) {
            // Nothing came from the client for a whole idle time: a request body it stopped sending is not coming
            // (as an HTTP/1.1 connection is closed for it). Its stream is reset; the connection, once it holds no
            // stream, closes at a later idle time.
            streams.resetStreamsWaitingForTheirBody();
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        sendTimeout.writabilityChanged(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Twice per timeout, so a stream is reset between one and one and a half timeouts into its
     * wait; at most every 100 ms, so a keepAliveTimeout of a few milliseconds (or "1ns") cannot
     * make the check spin on the event loop.
     */
    private void scheduleHeldStreamCheck(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> {
            if (ctx.channel().isActive()) {
                resetStreamsHeldByTheClient(ctx);
                streams.resetStreamsWhoseBodyStalled(System.nanoTime(), timeoutNanos);
                scheduleHeldStreamCheck(ctx);
            }
        }, Math.max(timeoutNanos / 2, MIN_CHECK_INTERVAL_NANOS), TimeUnit.NANOSECONDS);
    }

    private void resetStreamsHeldByTheClient(ChannelHandlerContext ctx) {
        Http2ConnectionHandler codec = codec();
        var connection = codec.connection();
        Http2RemoteFlowController flow = connection.remote().flowController();
        boolean connectionWindowShut = flow.windowSize(connection.connectionStream()) <= 0;
        boolean connectionOpened = windowUpdates.takeConnectionOpened();
        long now = System.nanoTime();
        List<Http2Stream> stalled = new ArrayList<>();
        try {
            connection.forEachActiveStream(stream -> {
                boolean openedSince = windowUpdates.takeOpened(stream);
                boolean streamWindowShut = flow.windowSize(stream) <= 0;
                if (!flow.hasFlowControlled(stream) || !(streamWindowShut || connectionWindowShut)) {
                    stream.removeProperty(heldSince);
                    return true;
                }
                // Held: by its own window, which only its own WINDOW_UPDATE opens, or else by the connection's.
                boolean moved = streamWindowShut ? openedSince : connectionOpened;
                Long since = stream.getProperty(heldSince);
                if (since == null || moved) {
                    stream.setProperty(heldSince, now);
                } else if (now - since >= timeoutNanos) {
                    stalled.add(stream);
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
        log.debug("HTTP/2 connection {}: resetting {} streams whose response the client's window held for a whole idle time",
                ctx.channel().remoteAddress(), stalled.size());
        ChannelHandlerContext codecContext = ctx.pipeline().context(codec);
        for (Http2Stream stream : stalled) {
            codec.resetStream(codecContext, stream.id(), Http2Error.CANCEL.code(), codecContext.newPromise());
        }
        codecContext.flush();
    }
}
