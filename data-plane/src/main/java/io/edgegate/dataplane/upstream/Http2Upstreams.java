package io.edgegate.dataplane.upstream;

import io.edgegate.dataplane.http.Http2IdleCloser;
import io.edgegate.dataplane.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/2 to upstreams, for requests that need it end to end (gRPC): one multiplexed
 * connection per server and event loop (h2c with prior knowledge, or TLS with ALPN h2), each
 * request a stream of it. Like the HTTP/1 pools, everything here is touched only from the
 * owning event loop.
 */
final class Http2Upstreams {

    private final Transport transport;
    private final UpstreamSettings settings;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final UpstreamTls tls;
    private final FastThreadLocal<Map<UpstreamAddress, Future<Channel>>> connections = new FastThreadLocal<>() {
        @Override
        protected Map<UpstreamAddress, Future<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

    Http2Upstreams(Transport transport, UpstreamSettings settings, AddressResolverGroup<InetSocketAddress> resolver,
                   UpstreamTls tls) {
        this.transport = transport;
        this.settings = settings;
        this.resolver = resolver;
        this.tls = tls;
    }

    /** Opens a stream to {@code address} on {@code loop}, connecting first when there is no live connection. */
    Future<Http2StreamChannel> openStream(EventLoop loop, UpstreamAddress address) {
        Promise<Http2StreamChannel> stream = loop.newPromise();
        connection(loop, address).addListener((Future<Channel> connected) -> {
            if (!connected.isSuccess()) {
                stream.setFailure(connected.cause());
                return;
            }
            new Http2StreamChannelBootstrap(connected.getNow())
                    .handler(new ChannelInitializer<Http2StreamChannel>() {
                        @Override
                        protected void initChannel(Http2StreamChannel ch) {
                            ch.config().setAutoRead(false);
                            // The stream's own read-idle timer, for its answer: the connection's is kept busy by its other streams.
                            IdleStateHandler idle = new IdleStateHandler(settings.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS);
                            ch.pipeline()
                                    .addLast(UpstreamPipeline.CODEC, new Http2StreamFrameToHttpObjectCodec(false))
                                    .addLast(UpstreamPipeline.IDLE, idle)
                                    .addLast(UpstreamPipeline.HANDLER, new UpstreamHandler(idle, false));
                        }
                    })
                    .open()
                    .addListener((Future<Http2StreamChannel> opened) -> {
                        if (opened.isSuccess()) {
                            stream.setSuccess(opened.getNow());
                        } else {
                            stream.setFailure(opened.cause());
                        }
                    });
        });
        return stream;
    }

    private Future<Channel> connection(EventLoop loop, UpstreamAddress address) {
        Map<UpstreamAddress, Future<Channel>> byAddress = connections.get();
        Future<Channel> existing = byAddress.get(address);
        if (existing != null && takesNewStreams(existing)) {
            return existing;
        }
        Promise<Channel> connected = loop.newPromise();
        byAddress.put(address, connected);
        connect(loop, address).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                byAddress.remove(address, connected);
                connected.setFailure(new UpstreamException("cannot connect to " + address + ": "
                        + (f.cause() == null ? "cancelled" : f.cause().getMessage()), f.cause(), true));
                return;
            }
            f.channel().closeFuture().addListener(closed -> byAddress.remove(address, connected));
            connected.setSuccess(f.channel());
        });
        return connected;
    }

    /**
     * Whether a connection (or one being made) can carry another request. A server that sent GOAWAY
     * (gRPC's maximum connection age, a graceful restart) refuses new streams on it while those in flight
     * finish, and may keep it open a long time: the next request goes on a new connection.
     */
    private static boolean takesNewStreams(Future<Channel> connection) {
        if (!connection.isDone()) {
            return true;
        }
        if (!connection.isSuccess() || !connection.getNow().isActive()) {
            return false;
        }
        Http2FrameCodec codec = connection.getNow().pipeline().get(Http2FrameCodec.class);
        return codec == null || !codec.connection().goAwayReceived();
    }

    private ChannelFuture connect(EventLoop loop, UpstreamAddress address) {
        return UpstreamBootstrap.on(loop, transport, resolver, settings)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (address.tls()) {
                            ch.pipeline().addLast(UpstreamPipeline.TLS, tls.http2().newHandler(ch.alloc(), address.host(), address.port()));
                        }
                        Http2FrameCodec codec = Http2FrameCodecBuilder.forClient().build();
                        ch.pipeline()
                                .addLast(UpstreamPipeline.IDLE, new IdleStateHandler(
                                        settings.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                                // The requests of many client streams sent in one event-loop turn leave in one write.
                                .addLast(new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true))
                                .addLast(codec)
                                // Servers do not open streams towards a proxy (push is off): nothing inbound to handle.
                                .addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()))
                                .addLast(new Http2IdleCloser(codec));
                    }
                })
                .connect(address.unresolved());
    }
}
