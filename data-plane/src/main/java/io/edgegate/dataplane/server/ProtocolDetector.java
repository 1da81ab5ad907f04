package io.edgegate.dataplane.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.List;

/**
 * Tells HTTP/2 with prior knowledge (h2c) from HTTP/1.x on a cleartext connection by its first
 * bytes: the HTTP/2 connection preface, or anything else. Decides on the first byte that
 * differs from the preface, so HTTP/1 requests are not held back.
 */
final class ProtocolDetector extends ByteToMessageDecoder {

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final ConnectionSetup setup;

    ProtocolDetector(ConnectionSetup setup) {
        this.setup = setup;
    }

    /**
     * A connection that stayed silent for the whole idle time never chose a protocol: it is closed; so is
     * one whose listener drains before it sent anything (it would otherwise be served by a server that is gone).
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent || event == DrainEvent.INSTANCE) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int available = Math.min(in.readableBytes(), PREFACE.readableBytes());
        for (int i = 0; i < available; i++) {
            if (in.getByte(in.readerIndex() + i) != PREFACE.getByte(i)) {
                setup.http1(ctx.pipeline());
                ctx.pipeline().remove(this);
                return;
            }
        }
        if (available == PREFACE.readableBytes()) {
            setup.http2(ctx.pipeline());
            ctx.pipeline().remove(this);
        }
        // Otherwise a prefix of the preface: wait for more (the decoder reads again on its own).
    }
}
