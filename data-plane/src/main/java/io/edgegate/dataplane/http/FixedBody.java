package io.edgegate.dataplane.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.EmptyHttpHeaders;

/** A body already in memory: one chunk, then the end. */
public final class FixedBody implements BodyStream {

    private ByteBuf content;

    public FixedBody(ByteBuf content) {
        this.content = content;
    }

    @Override
    public void pull(BodyReceiver receiver) {
        ByteBuf chunk = content;
        content = null;
        if (chunk == null || !chunk.isReadable()) {
            if (chunk != null) {
                chunk.release();
            }
            receiver.onEnd(EmptyHttpHeaders.INSTANCE);
        } else {
            receiver.onChunk(chunk);
        }
    }

    @Override
    public void discard() {
        if (content != null) {
            content.release();
            content = null;
        }
    }

    @Override
    public boolean isReadyNow() {
        return true;
    }

    @Override
    public long contentLength() {
        return content == null ? 0 : content.readableBytes();
    }
}
