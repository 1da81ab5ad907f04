package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.ResponseDate;
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
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One bound HTTP port. It reads its {@link ServerState} from the node's running config (one
 * atomic reference for the whole node), so a config change reaches every listener at once
 * while the socket stays bound and open connections keep going. Before the config that binds
 * it is in service, and after the one that drops it took over, it serves its pinned state.
 * Closing it stops accepting and lets each connection finish its request in flight.
 */
final class HttpListener {

    static final int MAX_INITIAL_LINE = 8192;
    static final int MAX_HEADER_SIZE = 16384;

    static final String LIMIT = "connection-limit";
    static final String CLIENT_LIMITS = "client-limits";
    static final String HEADER_TIMEOUT = "header-timeout";
    static final String IDLE = "idle";
    static final String TLS = "tls";
    static final String PLAIN_HTTP = "plain-http-refusal";
    static final String ALPN = "alpn";
    static final String DETECT = "detect-protocol";

    private final InetSocketAddress address;
    private final Function<InetSocketAddress, ServerState> running;
    private volatile ServerState pinned;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ConnectionLimit limit;
    private final ClientConnectionLimits clientLimits;
    private final ResponseDate date = new ResponseDate();
    private Channel channel;
    /** Set before the connections are told to drain: one whose set-up runs later closes itself. */
    private volatile boolean closing;

    private HttpListener(InetSocketAddress address, Function<InetSocketAddress, ServerState> running, ServerState pinned) {
        this.address = address;
        this.running = running;
        this.pinned = pinned;
        this.limit = new ConnectionLimit(this::state, this::serve);
        this.clientLimits = new ClientConnectionLimits(() -> state().spec().clientLimits().orElse(null), () -> state().meters());
    }

    /**
     * Binds {@code address}; the future fails with the bind error (e.g. address in use). Until
     * the running config has a state for the address the listener serves {@code pinned}.
     */
    static CompletableFuture<HttpListener> bind(InetSocketAddress address, Function<InetSocketAddress, ServerState> running,
                                                ServerState pinned, Transport transport, EventLoopGroup boss,
                                                EventLoopGroup workers) {
        HttpListener listener = new HttpListener(address, running, pinned);
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

    /** What a new connection or request is served with: the running config's state, else the pinned one. */
    ServerState state() {
        ServerState current = running.apply(address);
        return current != null ? current : pinned;
    }

    /** The state to serve when the running config has none for this address (it is going away). */
    void pin(ServerState state) {
        pinned = state;
    }

    /** A new config is in service: its maxConnections may let waiting connections in, or stop accepting. */
    void limitChanged() {
        limit.limitChanged();
    }

    /** Whether a connection it accepted is still open. */
    boolean hasConnections() {
        return !connections.isEmpty();
    }

    /** Stops accepting; open connections finish the request in flight and close. */
    void close() {
        closing = true;
        if (channel != null) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        drainConnections();
    }

    /**
     * The open connections finish the request in flight and close (HTTP/2: GOAWAY); new ones are
     * served as before. For a change that connections made earlier cannot follow, such as new TLS settings.
     */
    void drainConnections() {
        connections.forEach(c -> c.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE));
    }

    private final class Initializer extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel ch) {
            connections.add(ch);
            if (closing) {
                // Accepted just before the listener closed, set up after its connections were told to drain.
                ch.close();
                return;
            }
            // The rest of the pipeline is made when the connection is admitted (serve): one waiting for a slot
            // under maxConnections has no timers running and no handshake started, as if still in the backlog.
            ch.pipeline().addLast(CLIENT_LIMITS, clientLimits).addLast(LIMIT, limit);
        }
    }

    /** Sets up an admitted connection for its protocol, with the state in service now. */
    private void serve(Channel ch) {
        ServerState current = state();
        long headerMillis = current.spec().readHeaderTimeout().toMillis();
        long idleMillis = current.spec().keepAliveTimeout().toMillis();
        // A head too slow for readHeaderTimeout is logged and counted as NGINX logs its 408s: no request line ("-").
        HeaderTimeout headerTimeout = new HeaderTimeout(headerMillis, channel -> Exchange.refusedOnHead(state(),
                new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf("-"), "-"), channel, false, 408,
                HeaderTimeout.timeoutBodyBytes()));
        // Read idleness is what matters (a silent connection, a body that stopped coming); a
        // timer that also watched writes would hang a listener on every write.
        ChannelPipeline pipeline = ch.pipeline()
                .addLast(IDLE, new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS));
        if (current.tls().isPresent()) {
            ConnectionSetup setup = new ConnectionSetup(HttpListener.this::state, headerTimeout, "https", date);
            pipeline.addLast(PLAIN_HTTP, new PlainHttpOnTlsPort(HttpListener.this::state))
                    .addLast(TLS, new ServerNameIndication(current.tls().get(), headerMillis))
                    .addLast(HEADER_TIMEOUT, headerTimeout)
                    .addLast(ALPN, new AlpnSwitch(setup));
        } else {
            ConnectionSetup setup = new ConnectionSetup(HttpListener.this::state, headerTimeout, "http", date);
            pipeline.addLast(HEADER_TIMEOUT, headerTimeout)
                    .addLast(DETECT, new ProtocolDetector(setup));
        }
    }
}
