package io.edgegate.dataplane.server;

import io.edgegate.dataplane.metrics.RequestMeters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Looks at the first byte of a connection to an HTTPS port: a TLS handshake starts with its record
 * type (22); a letter is a plain HTTP request, which is told so in plain HTTP, as Go's server
 * (Easegress) and NGINX tell it, rather than cut off by the TLS handler without a word.
 */
final class PlainHttpOnTlsPort extends ChannelInboundHandlerAdapter {

    private static final byte[] ANSWER = ("HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Connection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n").getBytes(StandardCharsets.US_ASCII);

    private final Supplier<ServerState> state;
    /** Answered and closing: whatever else the client sent before the close is dropped. */
    private boolean refused;

    PlainHttpOnTlsPort(Supplier<ServerState> state) {
        this.state = state;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            byte first = bytes.getByte(bytes.readerIndex());
            if (first >= 'A' && first <= 'Z') {
                refused = true;
                ReferenceCountUtil.release(msg);
                state.get().meters().refused(RequestMeters.ConnectionRefusal.TLS);
                ctx.writeAndFlush(Unpooled.wrappedBuffer(ANSWER)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            // The first bytes decide: the rest of the connection is the TLS handler's.
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }
}
