package io.edgegate.dataplane.server;

import io.edgegate.dataplane.metrics.RequestMeters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Enforces {@code maxConnections} as Easegress's limited listener and NGINX do: at the limit the
 * listener stops accepting, so new connections wait in the kernel's backlog, and each one that
 * closes lets the next in. None is closed for the limit. The few accepted in the same read that
 * reached the limit wait here, unread and with no handler after this one, in the order they came;
 * an admitted connection is set up for its protocol then ({@code serve}), so its timers and TLS
 * handshake start when it is served. It gets its first read here (auto-read is off); the protocol
 * handlers ask for the rest. Open connections are counted against the server that accepted them.
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    /** The meters an admitted connection was counted in: the same ones see it close, whatever config runs then. */
    private static final AttributeKey<RequestMeters> COUNTED_IN = AttributeKey.valueOf("edgegate.connection-limit.meters");
    private static final AttributeKey<Turn> TURN = AttributeKey.valueOf("edgegate.connection-limit.turn");

    /** Where a connection is: changed only on its own event loop. */
    private enum Turn { WAITING, ADMITTED, GONE }

    /** Connections holding a slot, or being handed one. */
    private final AtomicInteger open = new AtomicInteger();
    private final Queue<ChannelHandlerContext> waiting = new ConcurrentLinkedQueue<>();
    private final Supplier<ServerState> state;
    private final Consumer<Channel> serve;
    /** The listening channel, known from its first connection: accepting is paused and resumed on it. */
    private volatile Channel listener;

    /** {@code serve}: adds the handlers of an admitted connection after this one. */
    ConnectionLimit(Supplier<ServerState> state, Consumer<Channel> serve) {
        this.state = state;
        this.serve = serve;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (listener == null) {
            listener = ctx.channel().parent();
        }
        if (waiting.isEmpty() && takeSlot()) {
            admit(ctx);
            if (open.get() >= limit()) {
                updateAccepting();
            }
            return;
        }
        ctx.channel().attr(TURN).set(Turn.WAITING);
        waiting.add(ctx);
        // A slot may have come free since it was looked for.
        admitWaiting();
        updateAccepting();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Turn turn = ctx.channel().attr(TURN).getAndSet(Turn.GONE);
        if (turn == Turn.ADMITTED) {
            RequestMeters meters = ctx.channel().attr(COUNTED_IN).getAndSet(null);
            if (meters != null) {
                meters.connectionClosed();
            }
            releaseSlot();
        } else if (turn == Turn.WAITING && waiting.remove(ctx)) {
            // Gone while waiting (the client gave up). If it was already taken from the queue, the hand-over gives its slot back.
            admitWaiting();
            updateAccepting();
        }
        ctx.fireChannelInactive();
    }

    /**
     * Bytes of a waiting connection: the client sent its request and closed its side (epoll reads at a peer's
     * half-close even with reading off). Nothing serves it yet, and it will not wait for an answer: closed.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ctx.channel().attr(TURN).get() == Turn.ADMITTED) {
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        ctx.close();
    }

    /** A waiting connection has no protocol handler to finish it when its listener drains or closes: closed here. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == DrainEvent.INSTANCE && ctx.channel().attr(TURN).get() == Turn.WAITING) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    /** The limit may have changed (a new config): waiting connections go in as far as it now allows. */
    void limitChanged() {
        admitWaiting();
        updateAccepting();
    }

    private int limit() {
        return state.get().spec().maxConnections();
    }

    private boolean takeSlot() {
        int limit = limit();
        for (int taken = open.get(); taken < limit; taken = open.get()) {
            if (open.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
        return false;
    }

    private void releaseSlot() {
        open.decrementAndGet();
        admitWaiting();
        updateAccepting();
    }

    /** Hands free slots to waiting connections, first come first served, each on its own event loop. */
    private void admitWaiting() {
        while (!waiting.isEmpty() && takeSlot()) {
            ChannelHandlerContext next = waiting.poll();
            if (next == null) {
                // Another thread took the last one: the slot goes back, and the queue is looked at again.
                open.decrementAndGet();
                continue;
            }
            next.executor().execute(() -> {
                if (next.channel().attr(TURN).get() == Turn.WAITING && next.channel().isActive()) {
                    admit(next);
                } else {
                    // It left while the slot was on its way.
                    releaseSlot();
                }
            });
        }
    }

    private void admit(ChannelHandlerContext ctx) {
        ctx.channel().attr(TURN).set(Turn.ADMITTED);
        serve.accept(ctx.channel());
        RequestMeters meters = state.get().meters();
        meters.connectionOpened();
        ctx.channel().attr(COUNTED_IN).set(meters);
        ctx.fireChannelActive();
        ctx.read();
    }

    /**
     * Pauses accepting while every slot is taken (or connections wait), resumes it when one is free. Decided on the
     * listener's event loop from the counts of that moment, so the last decision made is the right one.
     */
    private void updateAccepting() {
        Channel accepting = listener;
        if (accepting == null) {
            return;
        }
        accepting.eventLoop().execute(() -> {
            boolean full = open.get() >= limit() || !waiting.isEmpty();
            // Compared with the channel's own flag: Netty turns accepting back on after a failed accept (too many files).
            if (full == accepting.config().isAutoRead()) {
                if (full) {
                    state.get().meters().connectionLimitReached();
                }
                accepting.config().setAutoRead(!full);
            }
        });
    }
}
