package io.edgegate.dataplane.admin;

import io.edgegate.dataplane.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node's admin port: {@code GET /healthz} answers 200 with the node's status as JSON once
 * it serves a config (503 before), for load balancers, scripts and tests; {@code GET /metrics}
 * answers the Prometheus text. It runs on an event loop of its own, so a scrape never takes time
 * from traffic. Each connection carries one exchange and has {@link #CONNECTION_DEADLINE} for it,
 * and at most {@link #MAX_CONNECTIONS} are open at once: the port shares the process's file
 * descriptors with the traffic listeners, so clients that connect and stay silent must not hold them.
 */
public final class AdminServer implements AutoCloseable {

    static final Duration CONNECTION_DEADLINE = Duration.ofSeconds(30);
    static final int MAX_CONNECTIONS = 64;

    private final Channel channel;
    private final EventLoopGroup group;

    private AdminServer(Channel channel, EventLoopGroup group) {
        this.channel = channel;
        this.group = group;
    }

    public static AdminServer start(InetSocketAddress address, Transport transport, Supplier<NodeStatus> status,
                                    Supplier<String> metrics) {
        return start(address, transport, status, metrics, CONNECTION_DEADLINE);
    }

    static AdminServer start(InetSocketAddress address, Transport transport, Supplier<NodeStatus> status,
                             Supplier<String> metrics, Duration deadline) {
        EventLoopGroup group = transport.newGroup(1, "admin");
        // One event loop: every connection's open and close runs on it, so a plain count is exact.
        int[] open = {0};
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (open[0] >= MAX_CONNECTIONS) {
                                ch.close();
                                return;
                            }
                            open[0]++;
                            ScheduledFuture<?> expiry = ch.eventLoop().schedule(() -> { ch.close(); }, deadline.toMillis(), TimeUnit.MILLISECONDS);
                            ch.closeFuture().addListener(closed -> {
                                open[0]--;
                                expiry.cancel(false);
                            });
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new Handler(status, metrics));
                        }
                    })
                    .bind(address)
                    .syncUninterruptibly()
                    .channel();
            return new AdminServer(channel, group);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** What /healthz reports. */
    public record NodeStatus(String nodeId, String appliedEpoch, long appliedRevision, boolean controlPlaneConnected,
                             String controlPlane, String configSource) {

        String toJson() {
            return "{\"nodeId\":\"" + nodeId + "\",\"appliedEpoch\":\"" + appliedEpoch + "\",\"appliedRevision\":" + appliedRevision
                    + ",\"controlPlaneConnected\":" + controlPlaneConnected
                    + ",\"controlPlane\":\"" + controlPlane + "\""
                    + ",\"configSource\":\"" + configSource + "\"}\n";
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final Supplier<NodeStatus> status;
        private final Supplier<String> metrics;

        Handler(Supplier<NodeStatus> status, Supplier<String> metrics) {
            this.status = status;
            this.metrics = metrics;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response;
            if (request.uri().equals("/healthz")) {
                NodeStatus now = status.get();
                HttpResponseStatus code = now.appliedRevision() > 0 ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, code, ByteBufUtil.writeUtf8(ctx.alloc(), now.toJson()));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            } else if (request.uri().equals("/metrics") || request.uri().startsWith("/metrics?")) {
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        ByteBufUtil.writeUtf8(ctx.alloc(), metrics.get()));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            } else {
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                        ByteBufUtil.writeUtf8(ctx.alloc(), "not found\n"));
            }
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
