package io.edgegate.dataplane.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.function.Consumer;

/**
 * A body passed on unchanged while a copy of it is kept (shared slices, no byte copying),
 * handed over whole when the body ends; a body that grows past {@code limit} or fails is
 * abandoned instead. Used for a request's mirror copy and for a cached answer.
 */
public final class TeeBody implements BodyStream {

    private final BodyStream source;
    private final long limit;
    private final Consumer<ByteBuf> onComplete;
    private final Runnable onAbandon;
    private CompositeByteBuf copy;

    /** {@code onComplete} owns the copy it is given; {@code onAbandon} runs when there will be none. */
    public TeeBody(BodyStream source, CompositeByteBuf copy, long limit, Consumer<ByteBuf> onComplete, Runnable onAbandon) {
        this.source = source;
        this.copy = copy;
        this.limit = limit;
        this.onComplete = onComplete;
        this.onAbandon = onAbandon;
    }

    @Override
    public void pull(BodyReceiver receiver) {
        source.pull(new BodyReceiver() {
            @Override
            public void onChunk(ByteBuf chunk) {
                if (copy != null) {
                    if (copy.readableBytes() + (long) chunk.readableBytes() > limit) {
                        abandon();
                    } else {
                        copy.addComponent(true, chunk.retainedDuplicate());
                    }
                }
                receiver.onChunk(chunk);
            }

            @Override
            public void onEnd(HttpHeaders trailers) {
                if (copy != null) {
                    ByteBuf whole = copy;
                    copy = null;
                    onComplete.accept(whole);
                }
                receiver.onEnd(trailers);
            }

            @Override
            public void onError(Throwable cause) {
                abandon();
                receiver.onError(cause);
            }
        });
    }

    @Override
    public void discard() {
        abandon();
        source.discard();
    }

    @Override
    public long contentLength() {
        return source.contentLength();
    }

    @Override
    public boolean isReadyNow() {
        return source.isReadyNow();
    }

    private void abandon() {
        if (copy != null) {
            copy.release();
            copy = null;
            onAbandon.run();
        }
    }
}
