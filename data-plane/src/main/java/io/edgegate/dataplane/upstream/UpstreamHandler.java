package io.edgegate.dataplane.upstream;

import io.edgegate.dataplane.http.ChannelBody;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The last handler of an upstream HTTP/1.1 connection: hands the response head of the current
 * exchange to its future and feeds the body stream. Between exchanges the connection sits in
 * the pool reading, so a server that closes it is noticed at once.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    /** The read-idle timer of the connection, or of the HTTP/2 stream: also times the answer and a body the client waits for. */
    private final IdleStateHandler idle;
    private CompletableFuture<HttpResponse> head;
    private UpstreamBody body;
    /** The request was sent and this side times the answer: the idle time without a byte ends it. */
    private boolean awaitingTimedAnswer;
    private final ArrayDeque<Object> afterUpgrade = new ArrayDeque<>();
    private boolean upgraded;
    private ChannelHandlerContext ctx;

    /** Whether a body the client waits for is cut after the idle time without a byte (not a gRPC stream's). */
    private final boolean timesBodies;

    UpstreamHandler(IdleStateHandler idle) {
        this(idle, true);
    }

    /**
     * {@code timesBodies} false: an HTTP/2 (gRPC) stream's body may stay silent as long as it likes once it started:
     * server streams and watches send nothing between events, and HTTP/2 pings keep the connection alive.
     */
    UpstreamHandler(IdleStateHandler idle, boolean timesBodies) {
        this.idle = idle;
        this.timesBodies = timesBodies;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Starts an exchange; {@code onBodyEnd} runs when its response body has been read to the end. */
    CompletableFuture<HttpResponse> begin(Runnable onBodyEnd) {
        awaitingTimedAnswer = false;
        head = new CompletableFuture<>();
        body = new UpstreamBody(ctx.channel(), onBodyEnd, idle);
        upgraded = false;
        return head;
    }

    UpstreamBody body() {
        return body;
    }

    /** Between exchanges: nothing is expected; anything but a close is a broken server. */
    void idle() {
        head = null;
        body = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (upgraded) {
            // WebSocket bytes that came right behind the 101: kept for the tunnel.
            afterUpgrade.add(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (isInterim(response.status().code()) && head != null && !head.isDone()) {
                // 100 Continue, 102 Processing, 103 Early Hints: not the answer. Dropped, as NGINX, Envoy and
                // Go's client (Easegress) drop them; taken as the answer, the real one would reach the next
                // request sent on this connection. A server sending them is alive: as a read, each one restarts the idle timer.
                ReferenceCountUtil.release(msg);
                ctx.read();
                return;
            }
            if (head == null || head.isDone()) {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            if (!response.decoderResult().isSuccess()) {
                ReferenceCountUtil.release(msg);
                fail(new UpstreamException("malformed response from upstream: " + response.decoderResult().cause(),
                        response.decoderResult().cause(), false));
                ctx.close();
                return;
            }
            if (!isChunkedOrNone(response.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING))) {
                // "gzip, chunked" is de-chunked by the decoder and would go on still gzip-coded, marked as nothing:
                // Go's client (Easegress) and NGINX refuse such an answer too.
                ReferenceCountUtil.release(msg);
                fail(new UpstreamException("upstream answered with an unsupported Transfer-Encoding", null, false));
                ctx.close();
                return;
            }
            upgraded = response.status().code() == 101;
            if (msg instanceof FullHttpResponse full && !upgraded) {
                // HTTP/2 headers that end the stream (e.g. a gRPC trailers-only answer): the head goes
                // on alone and the body is known to be empty, so it can be written the same way.
                body.expectLength(full.content().isReadable() ? full.content().readableBytes() : 0);
                head.complete(new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers()));
                body.offer(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
                return;
            }
            body.expectLength(HttpUtil.getContentLength(response, -1L));
            head.complete(response);
            if (msg instanceof HttpContent content && !upgraded) {
                body.offer(content);
            } else if (!upgraded && body != null && !body.isComplete()) {
                // Read on for the body from within this read (see ChannelBody's read-ahead).
                ctx.read();
            }
            return;
        }
        if (msg instanceof HttpContent content && body != null && head != null && head.isDone()) {
            body.offer(content);
            return;
        }
        ReferenceCountUtil.release(msg);
        if (body == null) {
            ctx.close();
        }
    }

    private static boolean isChunkedOrNone(List<String> transferEncodings) {
        return transferEncodings.isEmpty() || (transferEncodings.size() == 1
                && HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(transferEncodings.get(0).trim()));
    }

    private static boolean isInterim(int code) {
        return code >= 100 && code < 200 && code != 101;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        Object msg;
        while ((msg = afterUpgrade.poll()) != null) {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new UpstreamException("upstream closed the connection", new ClosedChannelException(), false));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(new UpstreamException("upstream connection failed: " + cause.getMessage(), cause, false));
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            if (body == null) {
                ctx.close();
            } else if (awaitingTimedAnswer && head != null && !head.isDone()) {
                fail(new UpstreamTimeoutException("upstream sent no answer within " + idle.getReaderIdleTimeInMillis() / 1000
                        + " s of the request"));
                ctx.close();
            } else if (timesBodies && head != null && head.isDone() && body.isWaiting()) {
                // Nothing of the body for the idle time while the client waited for more (each wait restarts
                // the timer): the response is cut off, as NGINX's proxy_read_timeout cuts it.
                body.fail(new UpstreamTimeoutException("upstream sent nothing of its response body for "
                        + idle.getReaderIdleTimeInMillis() / 1000 + " s"));
                ctx.close();
            }
            // Otherwise the request is still being sent, or the client is not asking for more: not the server's silence.
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    /**
     * The request was sent whole and no deadline of the caller's times its answer: the connection's idle
     * timer does, from now (a 504 for the client when it runs out). It costs nothing per request: the timer
     * runs for the connection anyway, and every byte read, interim answers included, restarts it.
     */
    void awaitAnswer() {
        if (idle != null && head != null && !head.isDone()) {
            awaitingTimedAnswer = true;
            idle.resetReadTimeout();
        }
    }

    private void fail(UpstreamException error) {
        if (head != null && !head.isDone()) {
            head.completeExceptionally(error);
        }
        if (body != null) {
            body.fail(error);
        }
    }

    /** A response body from the upstream; dropping it early means the connection cannot be reused. */
    static final class UpstreamBody extends ChannelBody {

        private final io.netty.channel.Channel channel;
        private final Runnable onEnd;
        private final IdleStateHandler idle;
        private long length = -1;

        UpstreamBody(io.netty.channel.Channel channel, Runnable onEnd, IdleStateHandler idle) {
            super(channel, -1, -1);
            this.channel = channel;
            this.onEnd = onEnd;
            this.idle = idle;
        }

        @Override
        protected void readMore() {
            if (idle != null) {
                // The server is timed from when more was asked of it, not from a pause the client took.
                idle.resetReadTimeout();
            }
            super.readMore();
        }

        void expectLength(long contentLength) {
            length = contentLength;
        }

        @Override
        public long contentLength() {
            return length;
        }

        @Override
        public void discard() {
            if (!isComplete()) {
                // Draining an unwanted body could take long: drop the connection instead.
                channel.close();
            }
            super.discard();
        }

        @Override
        protected void ended() {
            onEnd.run();
        }

        @Override
        protected void broke() {
            // A body that broke off (malformed framing, a reset) leaves the connection unusable.
            channel.close();
        }
    }
}
