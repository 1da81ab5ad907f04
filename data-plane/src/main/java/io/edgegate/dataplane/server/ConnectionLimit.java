package io.edgegate.dataplane.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.edgegate.dataplane.metrics.RequestMeters;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Enforces {@code maxConnections}: a connection over the limit is closed as soon as it is
 * accepted, before any byte of it is read. An admitted one gets its first read here (auto-read
 * is off); the protocol handlers ask for the rest. Open and refused connections are counted
 * against the server that accepted them.
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    /** The meters an admitted connection was counted in: the same ones see it close, whatever config runs then. */
    private static final AttributeKey<RequestMeters> COUNTED_IN = AttributeKey.valueOf("edgegate.connection-limit.meters");

    private final AtomicInteger open = new AtomicInteger();
    private final Supplier<ServerState> state;

    ConnectionLimit(Supplier<ServerState> state) {
        this.state = state;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ServerState current = state.get();
        if (open.incrementAndGet() > current.spec().maxConnections()) {
            open.decrementAndGet();
            current.meters().refused(RequestMeters.ConnectionRefusal.MAX_CONNECTIONS);
            ctx.pipeline().remove(this);
            ctx.close();
            return;
        }
        current.meters().connectionOpened();
        ctx.channel().attr(COUNTED_IN).set(current.meters());
        ctx.fireChannelActive();
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        RequestMeters meters = ctx.channel().attr(COUNTED_IN).getAndSet(null);
        if (meters != null) {
            meters.connectionClosed();
        }
        ctx.fireChannelInactive();
    }
}
