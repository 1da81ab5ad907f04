package io.edgegate.dataplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A body fed by a channel: every pull is answered exactly once, even after a discard or broken framing. */
class ChannelBodyTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Recorder recorder = new Recorder();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** Records the answers a pull got. */
    private static final class Recorder implements BodyReceiver {
        final List<String> answers = new ArrayList<>();
        Throwable error;

        @Override
        public void onChunk(ByteBuf chunk) {
            answers.add("chunk " + chunk.toString(StandardCharsets.US_ASCII));
            chunk.release();
        }

        @Override
        public void onEnd(HttpHeaders trailers) {
            answers.add("end");
        }

        @Override
        public void onError(Throwable cause) {
            answers.add("error");
            error = cause;
        }
    }

    private static DefaultHttpContent chunk(String text) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    @Test
    void aPullAfterADiscardIsAnsweredAtOnceNotLeftWaitingForTheEnd() {
        ChannelBody body = new ChannelBody(channel, 10, -1);
        body.offer(chunk("hello"));
        body.discard();

        body.pull(recorder);
        body.offer(new DefaultLastHttpContent(Unpooled.copiedBuffer("world", StandardCharsets.US_ASCII)));

        assertThat(recorder.answers).containsExactly("error");
        assertThat(body.isComplete()).isTrue();
    }

    @Test
    void anEmptyBodyDiscardedAfterItsEndStillEndsForALaterReader() {
        ChannelBody body = new ChannelBody(channel, -1, -1);
        body.offer(LastHttpContent.EMPTY_LAST_CONTENT);
        body.discard();

        body.pull(recorder);

        assertThat(recorder.answers).containsExactly("end");
    }

    @Test
    void brokenChunkFramingFailsTheBodyInsteadOfEndingIt() {
        // What Netty's decoder emits for a chunk size that is not hex, too large, or a too long extension line.
        ChannelBody body = new ChannelBody(channel, -1, -1);
        body.offer(chunk("hello"));
        body.pull(recorder);
        body.pull(recorder);
        LastHttpContent broken = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        broken.setDecoderResult(DecoderResult.failure(new NumberFormatException("Invalid character in chunk size")));

        body.offer(broken);

        assertThat(recorder.answers).containsExactly("chunk hello", "error");
        assertThat(recorder.error).isInstanceOf(MalformedBodyException.class).hasMessageContaining("chunk size");
        assertThat(body.failed()).isTrue();
    }

    @Test
    void aConnectionClosedBeforeTheEndFailsTheWaitingReader() {
        ChannelBody body = new ChannelBody(channel, 10, -1);
        body.pull(recorder);

        body.connectionClosed();

        assertThat(recorder.answers).containsExactly("error");
        assertThat(recorder.error).isInstanceOf(java.nio.channels.ClosedChannelException.class);
        assertThat(body.failed()).isTrue();
    }

    @Test
    void aConnectionClosedBeforeTheEndReleasesChunksNobodyRead() {
        ChannelBody body = new ChannelBody(channel, 10, -1);
        ByteBuf held = Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII);
        body.offer(new DefaultHttpContent(held));

        body.connectionClosed();

        assertThat(held.refCnt()).isZero();
        assertThat(body.failed()).isTrue();
    }

    @Test
    void aConnectionClosedAfterTheEndLeavesTheBodyEndedNotFailed() {
        ChannelBody body = new ChannelBody(channel, 5, -1);
        body.pull(recorder);
        body.offer(new DefaultLastHttpContent(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII)));
        body.pull(recorder);

        body.connectionClosed();

        assertThat(recorder.answers).containsExactly("chunk hello", "end");
        assertThat(body.failed()).isFalse();
    }

    /**
     * A body that arrived whole before anyone read it says so as its consumer takes it (an HTTP/2 stream gives the
     * client's window back then), and one discarded while it still comes is read on to its end.
     */
    @Test
    void whatIsTakenOfAnEndedBodyIsToldAndADiscardedOneIsReadToItsEnd() {
        int[] reads = {0};
        int[] taken = {0};
        ChannelBody ended = new ChannelBody(channel, 10, -1) {
            @Override
            protected void readMore() {
                reads[0]++;
            }

            @Override
            protected void taken() {
                taken[0]++;
            }
        };
        ended.offer(chunk("hello"));
        ended.offer(new DefaultLastHttpContent(Unpooled.copiedBuffer("world", StandardCharsets.US_ASCII)));
        ended.pull(recorder);
        ended.pull(recorder);
        ended.pull(recorder);
        assertThat(recorder.answers).containsExactly("chunk hello", "chunk world", "end");
        assertThat(taken[0]).isEqualTo(3);

        reads[0] = 0;
        ChannelBody discarded = new ChannelBody(channel, 30, -1) {
            @Override
            protected void readMore() {
                reads[0]++;
            }
        };
        discarded.offer(chunk("first"));
        discarded.discard();
        int afterDiscard = reads[0];
        discarded.offer(chunk("second"));
        discarded.offer(chunk("third"));
        assertThat(reads[0]).as("each chunk dropped asks for the next").isEqualTo(afterDiscard + 2);
        discarded.offer(new DefaultLastHttpContent(Unpooled.copiedBuffer("last", StandardCharsets.US_ASCII)));
        assertThat(discarded.isComplete()).isTrue();
    }
}
