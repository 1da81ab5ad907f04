package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.BodyPump;
import io.edgegate.dataplane.http.BodyReceiver;
import io.edgegate.dataplane.http.HopByHop;
import io.edgegate.dataplane.http.ZeroCopyBody;
import io.netty.handler.ssl.SslHandler;
import io.edgegate.dataplane.pipeline.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.edgegate.dataplane.http.ResponseDate;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/** Writes a response head and streams its body to the client, framed for the client's protocol. */
final class ResponseWriter {

    private ResponseWriter() {
    }

    /** The result of writing: done, whether the connection may carry another request, and the body bytes written. */
    /**
     * {@code declaredLength}: the body's Content-Length, -1 when it has none (or none counts: HEAD, 204, 304, a file
     * sent whole). A body that did not match it (an answer to a HEAD sent on for a GET, a filter that changed the
     * body but not its length) leaves the client reading the next answer as its rest: see {@link #framingBroken}.
     */
    record Written(CompletableFuture<Void> done, boolean keepAlive, LongSupplier bytes, long declaredLength) {
        static final LongSupplier NONE = () -> 0;

        /** Whether the body sent broke the framing its head promised: the connection must close, as Go's server closes it. */
        boolean framingBroken() {
            return declaredLength >= 0 && bytes.getAsLong() != declaredLength;
        }
    }

    /** A body being written and how much of it has gone. */
    record Pumped(CompletableFuture<Void> done, LongSupplier bytes) {
        static Pumped whole(CompletableFuture<Void> done) {
            return new Pumped(done, Written.NONE);
        }
    }

    /**
     * HTTP/1.x: a body of unknown length is sent chunked to HTTP/1.1 clients and delimited by
     * closing the connection for HTTP/1.0 ones.
     */
    static Written http1(ChannelHandlerContext ctx, Response response, HttpMethod method, HttpVersion clientVersion, boolean keepAlive,
                         SendTimeout sendTimeout, ResponseDate date) {
        Channel channel = ctx.channel();
        HttpResponse head = response.head();
        HopByHop.stripResponse(head);
        date.addIfMissing(head.headers());
        dropUnreadableLength(head);
        boolean bodiless = isBodiless(head, method);
        boolean keep = keepAlive;
        if (!bodiless && !HttpUtil.isContentLengthSet(head)) {
            if (clientVersion.equals(HttpVersion.HTTP_1_1)) {
                HttpUtil.setTransferEncodingChunked(head, true);
            } else {
                keep = false;
            }
        }
        head.setProtocolVersion(HttpVersion.HTTP_1_1);
        head.headers().set(HttpHeaderNames.CONNECTION, keep ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        if (head.headers().contains(HttpHeaderNames.UPGRADE)) {
            // A 426's Upgrade (the only one left) is named in Connection, as a header of this hop must be.
            head.headers().set(HttpHeaderNames.CONNECTION, (keep ? "keep-alive" : "close") + ", upgrade");
        }
        if (!bodiless && response.body() instanceof ZeroCopyBody file && channel.pipeline().get(SslHandler.class) == null) {
            // Cleartext: the file goes from the page cache to the socket (sendfile), never through the heap.
            channel.write(head, channel.voidPromise());
            io.netty.channel.FileRegion region = file.takeRegion();
            long size = region.count();
            sendTimeout.watchFile(ctx, channel.write(region));
            CompletableFuture<Void> done = new CompletableFuture<>();
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> complete(done, f.cause()));
            return new Written(done, keep, () -> size, -1);
        }
        long declared = bodiless ? -1 : HttpUtil.getContentLength(head, -1L);
        Pumped pumped = writeBody(channel, response, head, bodiless);
        return new Written(pumped.done(), keep, pumped.bytes(), declared);
    }

    /**
     * HTTP/2: no connection-specific headers; the stream's end frames the body. A response known
     * to be empty goes out as one HEADERS frame that ends the stream (with its trailers after it,
     * if any), which is what gRPC's trailers-only answers must look like.
     */
    static Pumped http2(Http2ServerStream stream, Response response, HttpMethod method, ResponseDate date) {
        HttpResponse head = response.head();
        HopByHop.strip(head.headers());
        date.addIfMissing(head.headers());
        if (isBodiless(head, method)) {
            response.body().discard();
            return Pumped.whole(done(stream.writeWhole(head, EmptyHttpHeaders.INSTANCE)));
        }
        if (response.body().contentLength() != 0) {
            stream.writeHead(head);
            BodyPump pump = BodyPump.start(response.body(), stream);
            return new Pumped(pump.done(), pump::bytes);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        long[] bytes = new long[1];
        response.body().pull(new BodyReceiver() {
            @Override
            public void onChunk(ByteBuf chunk) {
                // Said to be empty but is not: fall back to head, then body.
                bytes[0] = chunk.readableBytes();
                stream.writeHead(head);
                stream.writeChunk(chunk, false);
                BodyPump pump = BodyPump.start(response.body(), stream);
                pump.done().whenComplete((ok, error) -> {
                    bytes[0] += pump.bytes();
                    complete(done, error);
                });
            }

            @Override
            public void onEnd(HttpHeaders trailers) {
                stream.writeWhole(head, trailers).addListener(f -> complete(done, f.cause()));
            }

            @Override
            public void onError(Throwable cause) {
                done.completeExceptionally(cause);
            }
        });
        return new Pumped(done, () -> bytes[0]);
    }

    private static CompletableFuture<Void> done(io.netty.channel.ChannelFuture written) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        written.addListener(f -> complete(done, f.cause()));
        return done;
    }

    private static void complete(CompletableFuture<Void> done, Throwable error) {
        if (error == null) {
            done.complete(null);
        } else {
            done.completeExceptionally(error);
        }
    }

    private static Pumped writeBody(Channel channel, Response response, HttpResponse head, boolean bodiless) {
        // No promise of its own: the body's writes (and the last one) report what becomes of the connection,
        // and a head that cannot be written fails the channel's pipeline, which closes it.
        channel.write(head, channel.voidPromise());
        if (bodiless) {
            response.body().discard();
            CompletableFuture<Void> done = new CompletableFuture<>();
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> complete(done, f.cause()));
            return Pumped.whole(done);
        }
        BodyPump pump = BodyPump.start(response.body(), channel);
        return new Pumped(pump.done(), pump::bytes);
    }

    /** A Content-Length a filter set that is no number frames nothing: the body goes chunked (or to the close). */
    private static void dropUnreadableLength(HttpResponse head) {
        String length = head.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null) {
            return;
        }
        try {
            if (Long.parseLong(length.trim()) >= 0) {
                return;
            }
        } catch (NumberFormatException notANumber) {
            // Dropped below.
        }
        head.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
    }

    private static boolean isBodiless(HttpResponse head, HttpMethod method) {
        int code = head.status().code();
        return method.equals(HttpMethod.HEAD) || code < 200 || code == 204 || code == 304;
    }
}
