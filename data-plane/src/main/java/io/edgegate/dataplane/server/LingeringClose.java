package io.edgegate.dataplane.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose client may still be sending (a refused or broken request body) the
 * way NGINX's lingering close does: the response is followed by a FIN, what the client still
 * sends is read and thrown away, and the connection closes when the client does or after a
 * while. Closing at once with unread bytes would make the kernel send a reset, which can destroy
 * the response before the client reads it.
 */
final class LingeringClose {

    static final long LINGER_SECONDS = 2;

    private LingeringClose() {
    }

    static void after(Channel channel) {
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            channel.close();
            return;
        }
        if (channel.pipeline().get("linger") != null) {
            return; // lingering already (a second drain, say)
        }
        // First in the pipeline: raw bytes are dropped before any decoder sees them.
        channel.pipeline().addFirst("linger", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
        channel.config().setAutoRead(true);
        duplex.shutdownOutput().addListener(done -> {
            if (!done.isSuccess()) {
                channel.close();
            }
        });
        var timer = channel.eventLoop().schedule(() -> {
            channel.close();
        }, LINGER_SECONDS, TimeUnit.SECONDS);
        channel.closeFuture().addListener(closed -> timer.cancel(false));
    }
}
