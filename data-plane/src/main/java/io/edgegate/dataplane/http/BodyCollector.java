package io.edgegate.dataplane.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a whole body into memory, for the filters that need all of it (a signature over the
 * body, a content check); at most {@code limit} bytes, more fails with
 * {@link BodyTooLargeException}. The caller owns the result and usually hands it on as a
 * {@link FixedBody}.
 */
public final class BodyCollector {

    private BodyCollector() {
    }

    /** As {@link #collect}, copied into a byte array (the buffer released): for bodies kept as data. */
    public static CompletableFuture<byte[]> collectBytes(BodyStream body, ByteBufAllocator alloc, long limit) {
        return collect(body, alloc, limit).thenApply(buf -> {
            try {
                return io.netty.buffer.ByteBufUtil.getBytes(buf);
            } finally {
                buf.release();
            }
        });
    }

    public static CompletableFuture<ByteBuf> collect(BodyStream body, ByteBufAllocator alloc, long limit) {
        CompletableFuture<ByteBuf> done = new CompletableFuture<>();
        CompositeByteBuf whole = alloc.compositeBuffer(Integer.MAX_VALUE);
        body.pull(new BodyReceiver() {
            @Override
            public void onChunk(ByteBuf chunk) {
                if (whole.readableBytes() + (long) chunk.readableBytes() > limit) {
                    chunk.release();
                    whole.release();
                    body.discard();
                    done.completeExceptionally(new BodyTooLargeException(limit));
                    return;
                }
                whole.addComponent(true, chunk);
                body.pull(this);
            }

            @Override
            public void onEnd(HttpHeaders trailers) {
                done.complete(whole);
            }

            @Override
            public void onError(Throwable cause) {
                whole.release();
                done.completeExceptionally(cause);
            }
        });
        return done;
    }
}
