package io.edgegate.dataplane.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * NGINX's {@code send_timeout} for one connection: a response that waits on the client for the
 * whole timeout without the socket taking a byte of it — the channel unwritable and nothing of
 * its buffer written, or a file sent with sendfile not moving — is stalled, however busily the client
 * sends meanwhile (PINGs, a request head a byte at a time). A slow reader of a large buffered
 * answer keeps it as long as it drains something in each timeout. One timer at a time, armed
 * when the wait begins; writability changes only move a timestamp, so writes cost nothing. Used on the connection's event loop.
 *
 * <p>Once armed, the wait lasts while anything is left in the channel's buffer, writable or not: a
 * body pump that waits for its last write to go out stops filling the buffer, and when the socket
 * took all but that write the channel turns writable again with the write still stuck in it.
 */
final class SendTimeout {

    private final long timeoutNanos;
    private final Consumer<ChannelHandlerContext> onStalled;
    private boolean unwritable;
    /** A file region is being sent: the channel's writability does not count it. */
    private boolean sendingFile;
    /** When the client last took something while a response waited on it. */
    private long movedAt;
    /** The message at the head of the channel's buffer at the last look, and how much of it had gone. */
    private Object headAtLastLook;
    private long progressAtLastLook;
    private boolean checkScheduled;

    SendTimeout(Duration timeout, Consumer<ChannelHandlerContext> onStalled) {
        this.timeoutNanos = timeout.toNanos();
        this.onStalled = onStalled;
    }

    void writabilityChanged(ChannelHandlerContext ctx) {
        boolean wasWaiting = waiting();
        unwritable = !ctx.channel().isWritable();
        if (unwritable && !wasWaiting) {
            startWaiting(ctx);
        }
    }

    /**
     * Watches a file region being written ({@code sending} completes when it is): it passes the
     * channel's buffer, whose writability never sees it, so the wait lasts as long as the write;
     * the region's progress at the head of the buffer shows the client reading.
     */
    void watchFile(ChannelHandlerContext ctx, ChannelFuture sending) {
        boolean wasWaiting = waiting();
        sendingFile = true;
        if (!wasWaiting) {
            startWaiting(ctx);
        }
        sending.addListener(written -> sendingFile = false);
    }

    private boolean waiting() {
        return unwritable || sendingFile;
    }

    private void startWaiting(ChannelHandlerContext ctx) {
        movedAt = System.nanoTime();
        lookAtBuffer(ctx);
        if (!checkScheduled) {
            schedule(ctx, timeoutNanos);
        }
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        checkScheduled = true;
        ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Bytes wait in the channel's buffer for the socket. */
    private static boolean holdsUnwritten(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        return buffer != null && buffer.current() != null;
    }

    /**
     * Whether the socket took something from the channel's buffer since the last look: its head
     * message is another one, or more of it was written. Writability alone cannot tell: a body
     * pump that refills the buffer as each write completes keeps it unwritable while it drains.
     */
    private boolean lookAtBuffer(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        Object head = buffer == null ? null : buffer.current();
        long progress = buffer == null ? 0 : buffer.currentProgress();
        boolean moved = head != headAtLastLook || progress != progressAtLastLook;
        headAtLastLook = head;
        progressAtLastLook = progress;
        return moved;
    }

    /** At the end of the wait: stalled, or waiting for less long than that (the check comes again), or done. */
    private void check(ChannelHandlerContext ctx) {
        checkScheduled = false;
        if (!(waiting() || holdsUnwritten(ctx)) || !ctx.channel().isActive()) {
            return;
        }
        if (lookAtBuffer(ctx)) {
            // Still waiting, but the client took part of what waits: it reads, slowly.
            movedAt = System.nanoTime();
        }
        long waited = System.nanoTime() - movedAt;
        if (waited >= timeoutNanos) {
            onStalled.accept(ctx);
        } else {
            schedule(ctx, timeoutNanos - waited);
        }
    }
}
