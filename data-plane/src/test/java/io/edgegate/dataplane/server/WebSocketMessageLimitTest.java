package io.edgegate.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Frame headers read however the bytes arrive: one at a time, 16- and 64-bit lengths, masked, control frames between fragments. */
class WebSocketMessageLimitTest {

    /** A frame: FIN, opcode, masked (with a zero mask key, the payload left as it is) and its payload length. */
    private static byte[] frame(boolean fin, int opcode, boolean masked, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int mask = masked ? 0x80 : 0;
        if (length < 126) {
            out.write(mask | length);
        } else if (length < 65536) {
            out.write(mask | 126);
            out.write(length >> 8);
            out.write(length & 0xFF);
        } else {
            out.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >> shift) & 0xFF);
            }
        }
        if (masked) {
            out.writeBytes(new byte[4]);
        }
        out.writeBytes(new byte[length]);
        return out.toByteArray();
    }

    private static EmbeddedChannel[] pair(long limit) {
        EmbeddedChannel client = new EmbeddedChannel();
        EmbeddedChannel upstream = new EmbeddedChannel();
        client.pipeline().addLast(new WebSocketMessageLimit(limit, client, upstream));
        return new EmbeddedChannel[] {client, upstream};
    }

    /** Feeds {@code bytes} one byte per read; returns how many bytes passed on. */
    private static int feedBytewise(EmbeddedChannel channel, byte[] bytes) {
        int passed = 0;
        for (byte b : bytes) {
            if (!channel.isActive()) {
                break;
            }
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            ByteBuf read;
            while ((read = channel.readInbound()) != null) {
                passed += read.readableBytes();
                read.release();
            }
        }
        return passed;
    }

    @Test
    void messagesUpToTheLimitPassWhateverTheirFramingAndTheReadsSizes() {
        EmbeddedChannel[] channels = pair(70_000);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(frame(false, 1, true, 300));
        stream.writeBytes(frame(true, 9, true, 4));      // a ping between fragments: not part of the message
        stream.writeBytes(frame(true, 0, true, 69_000)); // 64-bit length; 69,300 in all
        stream.writeBytes(frame(true, 2, true, 70_000)); // a new message, exactly the limit
        byte[] bytes = stream.toByteArray();

        assertThat(feedBytewise(channels[0], bytes)).isEqualTo(bytes.length);
        assertThat(channels[0].isActive()).isTrue();
        assertThat(channels[1].isActive()).isTrue();
    }

    @Test
    void aMessageOverTheLimitAcrossFragmentsClosesBothSidesWith1009() {
        EmbeddedChannel[] channels = pair(1_000);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(frame(false, 1, true, 600));
        stream.writeBytes(frame(true, 0, true, 600));

        feedBytewise(channels[0], stream.toByteArray());

        ByteBuf close = channels[0].readOutbound();
        assertThat(close).isNotNull();
        byte[] sent = new byte[close.readableBytes()];
        close.readBytes(sent);
        close.release();
        assertThat(sent).containsExactly(0x88, 0x02, 0x03, 0xF1);
        assertThat(channels[0].isActive()).isFalse();
        assertThat(channels[1].isActive()).isFalse();
    }
}
