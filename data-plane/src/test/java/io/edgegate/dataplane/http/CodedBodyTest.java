package io.edgegate.dataplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.compression.JdkZlibDecoder;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Bodies gzipped and gunzipped as they stream: whole, bounded in memory, and broken input reported. */
class CodedBodyTest {

    /** What a body delivered: its bytes, or the error that ended it. */
    private record Outcome(byte[] bytes, Throwable error, int largestChunk) {
    }

    private static Outcome readAll(BodyStream body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Throwable[] error = {null};
        boolean[] done = {false};
        int[] largest = {0};
        BodyReceiver receiver = new BodyReceiver() {
            @Override
            public void onChunk(ByteBuf chunk) {
                largest[0] = Math.max(largest[0], chunk.readableBytes());
                byte[] bytes = new byte[chunk.readableBytes()];
                chunk.readBytes(bytes);
                out.writeBytes(bytes);
                chunk.release();
            }

            @Override
            public void onEnd(HttpHeaders trailers) {
                done[0] = true;
            }

            @Override
            public void onError(Throwable cause) {
                error[0] = cause;
                done[0] = true;
            }
        };
        while (!done[0]) {
            body.pull(receiver);
        }
        return new Outcome(out.toByteArray(), error[0], largest[0]);
    }

    private static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(packed)) {
            gzip.write(plain);
        }
        return packed.toByteArray();
    }

    private static BodyStream gunzipped(byte[] packed) {
        return CodedBody.decoded(new FixedBody(Unpooled.wrappedBuffer(packed)), new JdkZlibDecoder(ZlibWrapper.GZIP, 4 * 1024 * 1024));
    }

    @Test
    void aHighlyCompressedBodyInflatesWholeInBoundedPieces() throws Exception {
        // 20 MB of zeros pack into ~20 KB, arriving as one chunk: inflated in one step it would pass the decoder's 4 MB bound.
        Outcome outcome = readAll(gunzipped(gzip(new byte[20 * 1024 * 1024])));
        assertThat(outcome.error()).isNull();
        assertThat(outcome.bytes()).hasSize(20 * 1024 * 1024);
        assertThat(outcome.largestChunk()).isLessThanOrEqualTo(4 * 1024 * 1024);
    }

    @Test
    void whatIsGzippedGunzipsBackAndBrokenInputEndsTheBodyWithAnError() throws Exception {
        byte[] text = "an answer that compresses, ".repeat(5_000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Outcome packed = readAll(CodedBody.encoded(new FixedBody(Unpooled.wrappedBuffer(text)),
                ZlibCodecFactory.newZlibEncoder(ZlibWrapper.GZIP)));
        assertThat(packed.bytes().length).isLessThan(text.length / 10);
        assertThat(readAll(gunzipped(packed.bytes())).bytes()).isEqualTo(text);

        Outcome broken = readAll(gunzipped("this is not gzip".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertThat(broken.error()).isNotNull();
        byte[] truncated = java.util.Arrays.copyOf(packed.bytes(), packed.bytes().length / 2);
        assertThat(readAll(gunzipped(truncated)).error()).as("a truncated body ends in an error, not as if whole").isNotNull();
    }
}
