package io.edgegate.dataplane.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that send a request head too slowly (slowloris): the clock starts with the
 * first byte of a head and stops when the head is complete; past {@code readHeaderTimeout} the
 * client gets 408 and the connection is closed. Sits before the HTTP decoder, so it sees raw
 * bytes; the connection handler tells it when a head is complete and when the next may begin.
 *
 * <p>A head only notes when it began. The connection's one timer is armed by a head that finds
 * none pending and, when it fires, looks at the head in progress then: expired, or re-armed for
 * what that head has left, or nothing to watch. A keep-alive connection thus schedules about
 * once per timeout, not once per request (a task queued and cancelled per request was
 * measurable on the hot path).
 */
final class HeaderTimeout extends ChannelInboundHandlerAdapter {

    private static final String TIMEOUT_HEAD = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 39\r\nDate: ";
    private static final String TIMEOUT_BODY = "\r\n\r\n408 Request Timeout: headers too slow\n";
    /** {@link #headStartedAt} when no head is in progress. */
    private static final long NO_HEAD = Long.MIN_VALUE;

    private final long timeoutNanos;
    /** Told of each connection a 408 ends (to log and count it, as other refusals on the head are). */
    private final java.util.function.Consumer<io.netty.channel.Channel> timedOut;
    private ChannelHandlerContext ctx;
    private boolean awaitingHead = true;
    /** When the first byte of the head in progress arrived (the event loop's clock), or {@link #NO_HEAD}. */
    private long headStartedAt = NO_HEAD;
    private ScheduledFuture<?> timer;

    HeaderTimeout(long timeoutMillis) {
        this(timeoutMillis, channel -> { });
    }

    HeaderTimeout(long timeoutMillis, java.util.function.Consumer<io.netty.channel.Channel> timedOut) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.timedOut = timedOut;
    }

    /** The body of the 408, in bytes (what the access log counts as written). */
    static int timeoutBodyBytes() {
        return 39;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaitingHead && headStartedAt == NO_HEAD && msg instanceof ByteBuf buf && buf.isReadable()) {
            headStartedAt = ctx.executor().ticker().nanoTime();
            if (timer == null) {
                arm(timeoutNanos);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Whether part of a head has arrived and its clock is running: this handler will end it, with a 408. */
    boolean headInProgress() {
        return awaitingHead && headStartedAt != NO_HEAD;
    }

    /** A complete head was read. */
    void headReceived() {
        awaitingHead = false;
        headStartedAt = NO_HEAD;
    }

    /** The exchange ended; the next bytes start the next head's clock. */
    void awaitNextHead() {
        awaitingHead = true;
        headStartedAt = NO_HEAD;
    }

    /**
     * HTTP/2 takes this handler out once the preface has shown the protocol; the clock those
     * first bytes started must stop with it, or it would end a busy HTTP/2 connection with an
     * HTTP/1.1 408 at readHeaderTimeout.
     */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void arm(long delayNanos) {
        timer = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (!headInProgress() || !ctx.channel().isActive()) {
            return;
        }
        long left = headStartedAt + timeoutNanos - ctx.executor().ticker().nanoTime();
        if (left > 0) {
            arm(left);
            return;
        }
        timedOut.accept(ctx.channel());
        // Dated as every answer is (RFC 9110 §6.6.1); made only when a head times out.
        String answer = TIMEOUT_HEAD + io.netty.handler.codec.DateFormatter.format(new java.util.Date()) + TIMEOUT_BODY;
        ctx.writeAndFlush(Unpooled.wrappedBuffer(answer.getBytes(StandardCharsets.US_ASCII))).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
