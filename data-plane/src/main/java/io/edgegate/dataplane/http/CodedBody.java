package io.edgegate.dataplane.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayDeque;

/**
 * A body compressed or decompressed as it streams: each chunk pulled from the source goes
 * through the codec, and what it has produced is handed on; the codec is finished at the end.
 * Memory stays at one chunk plus the codec's window. Input the codec cannot read (a broken gzip
 * stream) ends the body with that error.
 */
public final class CodedBody implements BodyStream {

    private final BodyStream source;
    private final EmbeddedChannel encoder;
    /** Decoders read inbound bytes, encoders write outbound ones. */
    private final boolean decoding;
    private final ArrayDeque<ByteBuf> ready = new ArrayDeque<>();
    private HttpHeaders trailers;
    private boolean released;

    private CodedBody(BodyStream source, ChannelHandler codec, boolean decoding) {
        this.source = source;
        this.encoder = new EmbeddedChannel(codec);
        this.decoding = decoding;
    }

    /** {@code source} through an outbound encoder (e.g. a gzip {@code ZlibEncoder}). */
    public static CodedBody encoded(BodyStream source, ChannelHandler encoder) {
        return new CodedBody(source, encoder, false);
    }

    /** {@code source} through an inbound decoder (e.g. a gzip {@code JdkZlibDecoder}). */
    public static CodedBody decoded(BodyStream source, ChannelHandler decoder) {
        return new CodedBody(source, decoder, true);
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
                try {
                    if (decoding) {
                        encoder.writeInbound(chunk);
                    } else {
                        encoder.writeOutbound(chunk);
                    }
                } catch (RuntimeException e) {
                    discard();
                    receiver.onError(e);
                    return;
                }
                drain();
                // The encoder may hold small input back; then the next piece is asked for.
                pull(receiver);
            }

            @Override
            public void onEnd(HttpHeaders end) {
                try {
                    encoder.finish();
                } catch (RuntimeException e) {
                    discard();
                    receiver.onError(e);
                    return;
                }
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
        while ((out = decoding ? encoder.readInbound() : encoder.readOutbound()) != null) {
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
            try {
                encoder.finishAndReleaseAll();
            } catch (RuntimeException e) {
                // The codec's failure was already handed to the receiver; its buffers are released all the same.
            }
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
