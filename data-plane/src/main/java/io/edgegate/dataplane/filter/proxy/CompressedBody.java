package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.BodyReceiver;
import io.edgegate.dataplane.http.BodyStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayDeque;

/**
 * A body compressed as it streams: each chunk pulled from the source goes through the
 * encoder, and what the encoder has produced is handed on; the encoder is finished at the
 * end. Memory stays at one chunk plus the encoder's window.
 */
final class CompressedBody implements BodyStream {

    private final BodyStream source;
    private final EmbeddedChannel encoder;
    private final ArrayDeque<ByteBuf> ready = new ArrayDeque<>();
    private HttpHeaders trailers;
    private boolean released;

    CompressedBody(BodyStream source, ChannelHandler encoder) {
        this.source = source;
        this.encoder = new EmbeddedChannel(encoder);
    }

    @Override
    public void pull(BodyReceiver receiver) {
        if (!ready.isEmpty()) {
            receiver.onChunk(ready.poll());
            return;
        }
        if (trailers != null) {
            receiver.onEnd(trailers);
            return;
        }
        source.pull(new BodyReceiver() {
            @Override
            public void onChunk(ByteBuf chunk) {
                encoder.writeOutbound(chunk);
                drain();
                // The encoder may hold small input back; then the next piece is asked for.
                pull(receiver);
            }

            @Override
            public void onEnd(HttpHeaders end) {
                encoder.finish();
                drain();
                trailers = end == null ? EmptyHttpHeaders.INSTANCE : end;
                release();
                pull(receiver);
            }

            @Override
            public void onError(Throwable cause) {
                discard();
                receiver.onError(cause);
            }
        });
    }

    private void drain() {
        ByteBuf out;
        while ((out = encoder.readOutbound()) != null) {
            if (out.isReadable()) {
                ready.add(out);
            } else {
                out.release();
            }
        }
    }

    @Override
    public void discard() {
        ByteBuf chunk;
        while ((chunk = ready.poll()) != null) {
            chunk.release();
        }
        release();
        source.discard();
    }

    private void release() {
        if (!released) {
            released = true;
            encoder.finishAndReleaseAll();
        }
    }

    @Override
    public long contentLength() {
        return -1;
    }

    @Override
    public boolean isReadyNow() {
        return !ready.isEmpty() || trailers != null;
    }
}
