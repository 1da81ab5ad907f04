package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.BodyTarget;
import io.edgegate.dataplane.http.PlainResponses;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on an HTTP/2 connection served frame by frame: its HEADERS become the request the
 * pipeline runs, its DATA frames the request body, and its response goes out as frames through
 * the connection's encoder. The client's window is given back only as the body is consumed (at
 * most {@link io.edgegate.dataplane.http.ChannelBody#READ_AHEAD_BYTES} ahead), so a fast sender
 * is held back by flow control while the pipeline is busy. Used on the connection's event loop.
 */
final class Http2ServerStream implements RequestBody.Source, BodyTarget {

    private static final Logger log = LoggerFactory.getLogger(Http2ServerStream.class);
    private static final Http2Headers CONTINUE = new DefaultHttp2Headers().status(HttpResponseStatus.CONTINUE.codeAsText());

    private final Http2ServerHandler handler;
    /** The connection handler's context: where frames are written and flushed. */
    private final ChannelHandlerContext ctx;
    private final Http2Stream stream;
    private Exchange exchange;
    private RequestBody body;
    /** Bytes of DATA handed to the body whose window the client has not been given back yet. */
    private int unconsumed;
    /** When the client last sent body bytes or was given window (or 100 Continue) to send more: nanoTime. */
    private long bodyMovedAt = System.nanoTime();
    private boolean closed;
    /** The frame that ends the response went to the encoder: the stream closing after it is no departure. */
    private boolean endWritten;
    /** The response has begun: the exchange is under way both ways (a gRPC stream), no stalled upload. */
    private boolean responding;
    private boolean responseDone;

    Http2ServerStream(Http2ServerHandler handler, ChannelHandlerContext ctx, Http2Stream stream) {
        this.handler = handler;
        this.ctx = ctx;
        this.stream = stream;
    }

    /** The request's HEADERS: it is refused, or routed and its pipeline started. */
    void start(Http2Headers headers, boolean endOfStream, ServerState current, RequestContext.Connection connection) {
        if (headers.scheme() == null || headers.scheme().length() == 0) {
            // RFC 9113 §8.3.1: every request but CONNECT (refused anyway) carries :scheme.
            refuse(current, standIn(headers), HttpResponseStatus.BAD_REQUEST, "the request has no :scheme");
            return;
        }
        HttpRequest request;
        try {
            request = endOfStream
                    ? HttpConversionUtil.toFullHttpRequest(stream.id(), headers, Unpooled.EMPTY_BUFFER, true)
                    : HttpConversionUtil.toHttpRequest(stream.id(), headers, true);
        } catch (Http2Exception | RuntimeException malformed) {
            // A malformed request (e.g. a host that conflicts with :authority): refused as HTTP/1.1 refuses it.
            String reason = malformed.getMessage() == null ? "malformed request" : malformed.getMessage();
            refuse(current, standIn(headers), HttpResponseStatus.BAD_REQUEST, reason);
            return;
        }
        // Netty's conversion marks the request with its stream and scheme: neither is the client's, for filters to see,
        // webhooks to get or the header limit to count.
        request.headers().remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text())
                .remove(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text());
        if (!endOfStream && !HttpUtil.isContentLengthSet(request)) {
            // What the rest of the server reads as "a body of unknown length follows".
            request.headers().add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        Optional<RequestChecks.Refusal> refusal = RequestChecks.checkHttp2(request);
        if (refusal.isPresent()) {
            refuse(current, request, refusal.get().status(), refusal.get().reason());
            return;
        }
        // Headers that end the stream carry no body; otherwise the length is known only if the client said it.
        long contentLength = endOfStream ? 0 : Admission.declaredLength(request, -1L);
        Admission.Outcome outcome = Admission.admit(request, current, (InetSocketAddress) ctx.channel().remoteAddress(), contentLength);
        if (outcome instanceof Admission.Refused refused) {
            // Answered, then reset: the body that may still be coming is not wanted.
            refuse(current, request, refused.status(), refused.reason());
            return;
        }
        Admission.Admitted admitted = (Admission.Admitted) outcome;
        body = new RequestBody(this, admitted.contentLength(), admitted.bodyLimit(), admitted.expectContinue(), () -> { });
        Exchange started = Exchange.start(admitted.match(), request, body, ctx.channel(), current, connection);
        exchange = started;
        if (endOfStream) {
            body.offer(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        HttpMethod method = request.method();
        started.response().thenAccept(response -> respond(method, response));
    }

    /**
     * What the access log and meters can tell of a request that could not be made into one: its method and path
     * as sent, where they are usable (a refusal is logged and counted as HTTP/1.1's are).
     */
    private static HttpRequest standIn(Http2Headers headers) {
        HttpMethod method;
        try {
            method = headers.method() == null ? HttpMethod.GET : HttpMethod.valueOf(headers.method().toString());
        } catch (IllegalArgumentException notAMethod) {
            method = HttpMethod.GET;
        }
        String path = headers.path() == null || headers.path().length() == 0 ? "/" : headers.path().toString();
        try {
            return new io.netty.handler.codec.http.DefaultHttpRequest(HttpVersion.HTTP_1_1, method, path);
        } catch (IllegalArgumentException unusable) {
            return new io.netty.handler.codec.http.DefaultHttpRequest(HttpVersion.HTTP_1_1, method, "/");
        }
    }

    private void refuse(ServerState current, HttpRequest request, HttpResponseStatus status, String reason) {
        Exchange.refusedOnHead(current, request, ctx.channel(), true, status.code(), PlainResponses.bodyLength(status, reason));
        answerAndEnd(PlainResponses.of(ctx.alloc(), status, reason), HttpMethod.HEAD.equals(request.method()));
    }

    /**
     * A DATA frame of the request body; returns how many of its bytes count as consumed at once
     * (all of them when nobody wants the body), the rest being given back as the body is read.
     */
    int data(ByteBuf data, boolean endOfStream) {
        int bytes = data.readableBytes();
        if (body == null || body.isComplete() || body.isDiscarded()) {
            return bytes;
        }
        unconsumed += bytes;
        bodyMovedAt = System.nanoTime();
        data.retain();
        body.offer(endOfStream ? new DefaultLastHttpContent(data) : new DefaultHttpContent(data));
        if (body.isDiscarded() || body.failed()) {
            // Dropped (too large, or answered already): its bytes must not keep the connection's window shut.
            readMore();
        }
        return 0;
    }

    /** HEADERS after the request's: its trailers, which must end the stream. */
    void trailers(Http2Headers headers, boolean endOfStream) {
        if (!endOfStream) {
            reset(Http2Error.PROTOCOL_ERROR);
            return;
        }
        if (body == null || body.isComplete()) {
            return;
        }
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        try {
            HttpConversionUtil.addHttp2ToHttpHeaders(stream.id(), headers, last.trailingHeaders(), HttpVersion.HTTP_1_1, true, true);
        } catch (Http2Exception malformed) {
            body.fail(malformed);
            reset(Http2Error.PROTOCOL_ERROR);
            return;
        }
        body.offer(last);
    }

    private void respond(HttpMethod method, Response response) {
        if (closed || !ctx.channel().isActive() || response.tunnel() != null) {
            // A reset stream, or an upgrade, which HTTP/2 does not have.
            response.body().discard();
            exchange.written(0, false);
            reset(Http2Error.CANCEL);
            return;
        }
        responding = true;
        ResponseWriter.Pumped written = ResponseWriter.http2(this, response, method, handler.date());
        written.done().whenComplete((ok, error) -> {
            exchange.written(written.bytes().getAsLong(), error);
            responseDone = true;
            if (error != null) {
                log.debug("response on stream {} of {} not completed: {}", stream.id(), ctx.channel().remoteAddress(), error.toString());
                exchange.abort();
                reset(Http2Error.CANCEL);
            } else if (body.continueWithheld() && !closed && stream.state().remoteSideOpen()) {
                // The client waits for a 100 Continue that will not come: told that the body is not wanted (RFC 9113 §8.1).
                reset(Http2Error.NO_ERROR);
            } else {
                // Answered before the body ended (e.g. 413) the rest is not wanted; a body nobody read still holds its chunks.
                body.discard();
                if (!closed && stream.state().remoteSideOpen()) {
                    // The response is complete and the client is still sending (or stalled): asked to stop without an
                    // error (RFC 9113 §8.1), or the stream would stay open and hold its connection, and a drain, for ever.
                    reset(Http2Error.NO_ERROR);
                }
            }
        });
    }

    /** Whether something reads the request body and waits for bytes the client has not sent. */
    boolean waitsForItsBody() {
        return !closed && body != null && body.isWaiting();
    }

    /**
     * Whether it waits for body bytes the client has not sent for {@code timeoutNanos} since it last sent some or
     * was let send more, and could send them (the connection's window is open) — NGINX's client_body_timeout, per
     * stream, whatever else the connection carries. Not once the response has begun: a gRPC stream whose client
     * says nothing for a while is no stalled upload.
     */
    boolean bodyStalled(long now, long timeoutNanos) {
        return waitsForItsBody() && !responding && now - bodyMovedAt >= timeoutNanos && handler.clientMaySend();
    }

    @Override
    public String toString() {
        return stream.id() + " of " + ctx.channel().remoteAddress();
    }

    /** The stream closed: answered, reset by either side, or gone with its connection. */
    void closed() {
        closed = true;
        if (body != null) {
            body.connectionClosed();
        }
        if (exchange != null && !responseDone && !endWritten) {
            exchange.abort();
        }
    }

    @Override
    public void taken() {
        readMore(); // gives back the window of what the consumer took; there is nothing more to read
    }

    @Override
    public void readMore() {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(this::readMore);
            return;
        }
        // Window goes back only for bytes the consumer took: what waits unread keeps holding the client's window,
        // so a connection's unread request bodies stay within its window (1 MB) however many streams it opens.
        int unread = body == null ? 0 : (int) Math.min(unconsumed, body.bufferedBytes());
        int bytes = unconsumed - unread;
        if (bytes <= 0 || closed) {
            return;
        }
        unconsumed = unread;
        bodyMovedAt = System.nanoTime();
        try {
            if (handler.consumed(stream, bytes)) {
                handler.flush(ctx);
            }
        } catch (Http2Exception accounting) {
            log.debug("HTTP/2 stream {}: window not given back: {}", stream.id(), accounting.toString());
            reset(Http2Error.INTERNAL_ERROR);
        }
    }

    @Override
    public void sendContinue() {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(this::sendContinue);
            return;
        }
        bodyMovedAt = System.nanoTime();
        writeHeaders(CONTINUE, false, true, ctx.newPromise());
    }

    @Override
    public boolean isActive() {
        return !closed && ctx.channel().isActive();
    }

    @Override
    public boolean isWritable() {
        return !closed && handler.isWritable(stream);
    }

    @Override
    public ChannelFuture writeChunk(ByteBuf chunk, boolean flush) {
        ChannelPromise promise = ctx.newPromise();
        if (ctx.executor().inEventLoop()) {
            writeData(chunk, false, flush, promise);
        } else {
            ctx.executor().execute(() -> writeData(chunk, false, flush, promise));
        }
        return promise;
    }

    @Override
    public ChannelFuture writeEnd(HttpHeaders trailers) {
        ChannelPromise promise = ctx.newPromise();
        if (ctx.executor().inEventLoop()) {
            end(trailers, promise);
        } else {
            ctx.executor().execute(() -> end(trailers, promise));
        }
        return promise;
    }

    private void end(HttpHeaders trailers, ChannelPromise promise) {
        if (trailers.isEmpty()) {
            writeData(Unpooled.EMPTY_BUFFER, true, true, promise);
        } else {
            writeHeaders(HttpConversionUtil.toHttp2Headers(trailers, true), true, true, promise);
        }
    }

    /** The response's head, not flushed yet: the body follows through {@link #writeChunk} and {@link #writeEnd}. */
    void writeHead(HttpResponse head) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> writeHead(head));
            return;
        }
        writeHeaders(HttpConversionUtil.toHttp2Headers(head, true), false, false, ctx.newPromise());
    }

    /**
     * A response without a body: one HEADERS frame that ends the stream, or the head and then its
     * trailers (what gRPC's trailers-only answers must look like).
     */
    ChannelFuture writeWhole(HttpResponse head, HttpHeaders trailers) {
        ChannelPromise promise = ctx.newPromise();
        if (ctx.executor().inEventLoop()) {
            whole(head, trailers, promise);
        } else {
            ctx.executor().execute(() -> whole(head, trailers, promise));
        }
        return promise;
    }

    private void whole(HttpResponse head, HttpHeaders trailers, ChannelPromise promise) {
        Http2Headers headers = HttpConversionUtil.toHttp2Headers(head, true);
        if (trailers.isEmpty()) {
            writeHeaders(headers, true, true, promise);
        } else {
            writeHeaders(headers, false, false, ctx.newPromise());
            writeHeaders(HttpConversionUtil.toHttp2Headers(trailers, true), true, true, promise);
        }
    }

    /**
     * A response of the stream's own (a refusal), then a reset if the client is still sending: its body is not wanted.
     * {@code toHead}: the answer to a HEAD, which carries no content (RFC 9110 §9.3.2).
     */
    private void answerAndEnd(FullHttpResponse answer, boolean toHead) {
        handler.date().addIfMissing(answer.headers());
        ChannelPromise promise = ctx.newPromise();
        ByteBuf content = answer.content();
        Http2Headers headers = HttpConversionUtil.toHttp2Headers(answer, true);
        if (content.isReadable() && !toHead) {
            writeHeaders(headers, false, false, ctx.newPromise());
            writeData(content, true, true, promise);
        } else {
            content.release();
            writeHeaders(headers, true, true, promise);
        }
        promise.addListener(written -> {
            if (!closed && stream.state().remoteSideOpen()) {
                // NO_ERROR: the answer stands (a client may drop the response of a stream reset with an error).
                reset(Http2Error.NO_ERROR);
            }
        });
    }

    void reset(Http2Error error) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> reset(error));
            return;
        }
        if (!closed) {
            handler.resetStream(ctx, stream.id(), error.code(), ctx.newPromise());
            handler.flush(ctx);
        }
    }

    private void writeHeaders(Http2Headers headers, boolean endStream, boolean flush, ChannelPromise promise) {
        endWritten |= endStream;
        handler.encoder().writeHeaders(ctx, stream.id(), headers, 0, endStream, promise);
        if (flush) {
            handler.flush(ctx);
        }
    }

    private void writeData(ByteBuf data, boolean endStream, boolean flush, ChannelPromise promise) {
        endWritten |= endStream;
        handler.encoder().writeData(ctx, stream.id(), data, 0, endStream, promise);
        if (flush) {
            handler.flush(ctx);
        }
    }
}
