package io.edgegate.dataplane.server;

import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.dataplane.pipeline.TunnelLimits;
import io.edgegate.dataplane.upstream.UpstreamPipeline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * After a 101 Switching Protocols (WebSocket), the client connection and the upstream
 * connection stop speaking HTTP and relay bytes to each other. Each side stops reading while
 * the other cannot take more, so a slow peer holds back a fast one. A tunnel ends when either
 * side closes, or when its client connection is drained (its server deleted).
 */
final class Tunnel {

    private Tunnel() {
    }

    /** {@code drained}: whether the client connection was told to drain while the tunnel was being opened. */
    static void open(ChannelHandlerContext downstreamHandler, Response response, Exchange exchange, BooleanSupplier drained) {
        Channel down = downstreamHandler.channel();
        Channel up = response.tunnel();
        HttpResponse head = response.head();
        down.writeAndFlush(head).addListener(f -> {
            if (!f.isSuccess() || !up.isActive()) {
                exchange.abort();
                up.close();
                down.close();
                return;
            }
            Relay toUpstream = new Relay(up);
            Relay toClient = new Relay(down);
            TunnelLimits limits = response.limits();
            if (limits.fromClient() >= 0) {
                down.pipeline().addLast("message-limit", new WebSocketMessageLimit(limits.fromClient(), down, up));
            }
            if (limits.fromServer() >= 0) {
                up.pipeline().addLast("message-limit", new WebSocketMessageLimit(limits.fromServer(), down, up));
            }
            switchToBytes(down.pipeline(), toUpstream, List.of(ConnectionSetup.HTTP1, HttpListener.IDLE,
                    HttpListener.HEADER_TIMEOUT, ConnectionSetup.CODEC));
            switchToBytes(up.pipeline(), toClient, UpstreamPipeline.HTTP_HANDLERS);
            toUpstream.peerRelay = toClient;
            toClient.peerRelay = toUpstream;
            if (drained.getAsBoolean()) {
                down.close();
                return;
            }
            down.config().setAutoRead(true);
            up.config().setAutoRead(true);
        });
    }

    /**
     * Adds the relay last, then removes the HTTP handlers in order; bytes the HTTP decoder had
     * already read but not parsed flow on to the relay when it is removed.
     */
    private static void switchToBytes(ChannelPipeline pipeline, Relay relay, List<String> httpHandlers) {
        pipeline.addLast("tunnel", relay);
        for (String name : httpHandlers) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
    }

    /** Writes what its channel reads to the peer; pauses reading while the peer is full. */
    private static final class Relay extends ChannelInboundHandlerAdapter {

        private final Channel peer;
        private Relay peerRelay;
        private ChannelHandlerContext ctx;

        Relay(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!peer.isActive()) {
                ReferenceCountUtil.release(msg);
                return;
            }
            peer.writeAndFlush(msg);
            if (!peer.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // Our channel drained: the peer may read again.
            if (ctx.channel().isWritable() && peerRelay != null && peerRelay.ctx != null) {
                peerRelay.ctx.channel().config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (peer.isActive()) {
                peer.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof DrainEvent) {
                // The client's server was deleted, or its TLS changed: a tunnel has no request to finish, so it ends
                // now (the peer with it) rather than keep a route that no longer exists open for ever.
                ctx.close();
                return;
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
