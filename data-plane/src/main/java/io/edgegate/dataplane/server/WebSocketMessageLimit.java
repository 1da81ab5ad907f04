package io.edgegate.dataplane.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Watches the WebSocket frames one side of a tunnel sends, without copying or changing them:
 * frame headers are read as they pass to add up each message's size, and a message larger than
 * the limit closes both connections, the client's with a Close frame of status 1009 (message
 * too big), as Easegress's WebSocketProxy does.
 */
final class WebSocketMessageLimit extends ChannelInboundHandlerAdapter {

    /** Close frame, status 1009, from the server side (unmasked). */
    private static final byte[] CLOSE_TOO_BIG = {(byte) 0x88, 0x02, 0x03, (byte) 0xF1};

    private final long limit;
    private final Channel client;
    private final Channel other;
    private final byte[] header = new byte[14];
    private int headerLength;
    private long payloadLeft;
    private long messageSize;
    private boolean exceeded;

    /**
     * @param limit  the largest message, in bytes
     * @param client the client's connection, told why with a Close frame
     * @param other  the connection on the other side, closed too
     */
    WebSocketMessageLimit(long limit, Channel client, Channel other) {
        this.limit = limit;
        this.client = client;
        this.other = other;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exceeded) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf bytes && !scan(bytes)) {
            exceeded = true;
            bytes.release();
            client.writeAndFlush(Unpooled.wrappedBuffer(CLOSE_TOO_BIG)).addListener(ChannelFutureListener.CLOSE);
            other.close();
            ctx.close();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Follows the frames in {@code bytes}; false when a message grew past the limit. */
    private boolean scan(ByteBuf bytes) {
        int at = bytes.readerIndex();
        int end = bytes.writerIndex();
        while (at < end) {
            if (payloadLeft > 0) {
                int skip = (int) Math.min(payloadLeft, end - at);
                at += skip;
                payloadLeft -= skip;
                continue;
            }
            header[headerLength++] = bytes.getByte(at++);
            if (headerLength < 2 || headerLength < headerSize()) {
                continue;
            }
            int opcode = header[0] & 0x0F;
            boolean fin = (header[0] & 0x80) != 0;
            long length = payloadLength();
            headerLength = 0;
            payloadLeft = length;
            if (opcode < 8) {
                // Data and continuation frames add up to one message; control frames stand alone.
                messageSize += length;
                if (messageSize > limit) {
                    return false;
                }
                if (fin) {
                    messageSize = 0;
                }
            }
        }
        return true;
    }

    private int headerSize() {
        int len7 = header[1] & 0x7F;
        int extended = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        return 2 + extended + ((header[1] & 0x80) != 0 ? 4 : 0);
    }

    private long payloadLength() {
        int len7 = header[1] & 0x7F;
        if (len7 < 126) {
            return len7;
        }
        int bytes = len7 == 126 ? 2 : 8;
        long length = 0;
        for (int i = 0; i < bytes; i++) {
            length = (length << 8) | (header[2 + i] & 0xFF);
        }
        return length < 0 ? Long.MAX_VALUE : length;
    }
}
