package io.edgegate.dataplane.server;

import io.edgegate.dataplane.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One bound HTTP port. Its {@link ServerState} is swapped atomically on config changes while
 * the socket stays bound and open connections keep going; closing it stops accepting and
 * lets each connection finish its request in flight.
 */
final class HttpListener {

    static final int MAX_INITIAL_LINE = 8192;
    static final int MAX_HEADER_SIZE = 16384;

    static final String LIMIT = "connection-limit";
    static final String CLIENT_LIMITS = "client-limits";
    static final String HEADER_TIMEOUT = "header-timeout";
    static final String IDLE = "idle";
    static final String TLS = "tls";
    static final String ALPN = "alpn";
    static final String DETECT = "detect-protocol";

    private final InetSocketAddress address;
    private final AtomicReference<ServerState> state;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ConnectionLimit limit;
    private final ClientConnectionLimits clientLimits;
    private Channel channel;

    private HttpListener(InetSocketAddress address, ServerState initial) {
        this.address = address;
        this.state = new AtomicReference<>(initial);
        this.limit = new ConnectionLimit(() -> state.get().spec().maxConnections());
        this.clientLimits = new ClientConnectionLimits(() -> state.get().spec().clientLimits().orElse(null));
    }

    /** Binds {@code address}; the future fails with the bind error (e.g. address in use). */
    static CompletableFuture<HttpListener> bind(InetSocketAddress address, ServerState initial, Transport transport,
                                                EventLoopGroup boss, EventLoopGroup workers) {
        HttpListener listener = new HttpListener(address, initial);
        CompletableFuture<HttpListener> bound = new CompletableFuture<>();
        new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Connections read when they want a head or a body chunk, never on their own.
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(listener.new Initializer())
                .bind(address)
                .addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        listener.channel = f.channel();
                        bound.complete(listener);
                    } else {
                        bound.completeExceptionally(f.cause());
                    }
                });
        return bound;
    }

    InetSocketAddress address() {
        return address;
    }

    ServerState state() {
        return state.get();
    }

    void update(ServerState next) {
        state.set(next);
    }

    /** Stops accepting; open connections finish the request in flight and close. */
    void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        connections.forEach(c -> c.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE));
    }

    private final class Initializer extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel ch) {
            ServerState current = state.get();
            connections.add(ch);
            long headerMillis = current.spec().readHeaderTimeout().toMillis();
            long idleMillis = current.spec().keepAliveTimeout().toMillis();
            HeaderTimeout headerTimeout = new HeaderTimeout(headerMillis);
            // Read idleness is what matters (a silent connection, a body that stopped coming); a
            // timer that also watched writes would hang a listener on every write.
            ChannelPipeline pipeline = ch.pipeline().addLast(CLIENT_LIMITS, clientLimits).addLast(LIMIT, limit)
                    .addLast(IDLE, new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS));
            if (current.tls().isPresent()) {
                ConnectionSetup setup = new ConnectionSetup(state::get, headerTimeout, "https");
                pipeline.addLast(TLS, new ServerNameIndication(current.tls().get(), headerMillis))
                        .addLast(HEADER_TIMEOUT, headerTimeout)
                        .addLast(ALPN, new AlpnSwitch(setup));
            } else {
                ConnectionSetup setup = new ConnectionSetup(state::get, headerTimeout, "http");
                pipeline.addLast(HEADER_TIMEOUT, headerTimeout)
                        .addLast(DETECT, new ProtocolDetector(setup));
            }
        }
    }
}
