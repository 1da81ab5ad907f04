package io.edgegate.dataplane.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.compression.ZlibDecoder;
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

    /** 2 KB of deflate input inflates to at most ~2 MB: under the bound a decoder may be given (4 MB). */
    private static final int DECODE_SLICE_BYTES = 2 * 1024;

    private final BodyStream source;
    private final EmbeddedChannel encoder;
    /** Decoders read inbound bytes, encoders write outbound ones. */
    private final boolean decoding;
    /** The decoder when decoding, to tell a whole compressed stream from a cut one; null when encoding. */
    private final ZlibDecoder decoder;
    private final ArrayDeque<ByteBuf> ready = new ArrayDeque<>();
    /** The source's chunk being fed to the codec, a slice at a time; null between chunks. */
    private ByteBuf pending;
    private final int sliceBytes;
    private HttpHeaders trailers;
    private boolean released;

    private CodedBody(BodyStream source, ChannelHandler codec, ZlibDecoder decoder) {
        this.source = source;
        this.encoder = new EmbeddedChannel(codec);
        this.decoder = decoder;
        this.decoding = decoder != null;
        this.sliceBytes = decoder != null ? DECODE_SLICE_BYTES : Integer.MAX_VALUE;
    }

    /** {@code source} through an outbound encoder (e.g. a gzip {@code ZlibEncoder}). */
    public static CodedBody encoded(BodyStream source, ChannelHandler encoder) {
        return new CodedBody(source, encoder, null);
    }

    /** {@code source} through an inbound zlib/gzip decoder; a source that ends before the compressed stream does is an error. */
    public static CodedBody decoded(BodyStream source, ZlibDecoder decoder) {
        return new CodedBody(source, decoder, decoder);
    }

    @Override
    public void pull(BodyReceiver receiver) {
        while (ready.isEmpty() && trailers == null && pending != null) {
            // A decoder gets its input a slice at a time, so what one slice inflates to stays bounded
            // (deflate expands at most ~1032:1) and is handed on before the next slice is read.
            ByteBuf slice = pending.readRetainedSlice(Math.min(sliceBytes, pending.readableBytes()));
            if (!pending.isReadable()) {
                pending.release();
                pending = null;
            }
            try {
                if (decoding) {
                    encoder.writeInbound(slice);
                } else {
                    encoder.writeOutbound(slice);
                }
            } catch (RuntimeException e) {
                discard();
                receiver.onError(e);
                return;
            }
            drain();
        }
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
                pending = chunk;
                // The codec may hold small input back; then the next piece is asked for.
                pull(receiver);
            }

            @Override
            public void onEnd(HttpHeaders end) {
                try {
                    if (decoding && !decoder.isClosed()) {
                        // Cut short: handing on what was inflated as if it were all would hide the loss.
                        throw new DecompressionException("the compressed body ended before its compressed stream did");
                    }
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
        if (pending != null) {
            pending.release();
            pending = null;
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
