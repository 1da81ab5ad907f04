package io.edgegate.dataplane.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Enforces {@code maxConnections}: a connection over the limit is closed as soon as it is
 * accepted, before any byte of it is read. An admitted one gets its first read here (auto-read
 * is off); the protocol handlers ask for the rest.
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    private final AtomicInteger open = new AtomicInteger();
    private final IntSupplier limit;

    ConnectionLimit(IntSupplier limit) {
        this.limit = limit;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > limit.getAsInt()) {
            open.decrementAndGet();
            ctx.pipeline().remove(this);
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }
}
