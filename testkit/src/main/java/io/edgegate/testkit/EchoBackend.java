package io.edgegate.testkit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real HTTP server that names itself in every response (header
 * {@code X-Echo-Backend} and the first line of the body) and remembers the requests it saw,
 * so tests can tell which backend served and what the proxy forwarded. A {@code delay}
 * query parameter (milliseconds) holds the response back.
 */
public final class EchoBackend implements AutoCloseable {

    public static final String NAME_HEADER = "X-Echo-Backend";
    private static final int REMEMBERED = 1000;

    private final String name;
    private final String host;
    private final int port;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<ReceivedRequest> received = new ArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile HttpResponseStatus forcedStatus;
    /** Set: every answer has this body (and JSON's content type), as a service with a fixed answer. */
    private volatile String fixedJson;
    private volatile HttpResponseStatus failureStatus = HttpResponseStatus.SERVICE_UNAVAILABLE;
    private final java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger();
    private final io.netty.handler.ssl.SslContext tls;
    private Channel serverChannel;

    private EchoBackend(String name, String host, int port, io.netty.handler.ssl.SslContext tls) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    /** Starts a backend on {@code host:port}; port 0 picks a free one. */
    public static EchoBackend start(String name, String host, int port) {
        EchoBackend backend = new EchoBackend(name, host, port == 0 ? FreePorts.pick(host) : port, null);
        backend.bind();
        return backend;
    }

    /** A backend that speaks HTTPS with {@code certificate}; {@link #url()} is then an https URL. */
    public static EchoBackend startTls(String name, io.netty.pkitesting.X509Bundle certificate) {
        try {
            var tls = io.netty.handler.ssl.SslContextBuilder
                    .forServer(certificate.getKeyPair().getPrivate(), certificate.getCertificatePath())
                    .build();
            EchoBackend backend = new EchoBackend(name, "127.0.0.1", FreePorts.pick("127.0.0.1"), tls);
            backend.bind();
            return backend;
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("cannot build the backend's TLS context", e);
        }
    }

    public static EchoBackend start(String name) {
        return start(name, "127.0.0.1", 0);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return (tls == null ? "http://" : "https://") + host + ":" + port;
    }

    public int requestCount() {
        return count.get();
    }

    /** Connections accepted so far: tells whether a proxy reused its keep-alive connections. */
    public int connectionCount() {
        return connections.get();
    }

    /** Answers every request with {@code status} from now on (a failing backend); null answers normally again. */
    /** Answers every request with {@code json} as an application/json body. */
    public void answerJson(String json) {
        fixedJson = json;
    }

    public void answerWith(HttpResponseStatus status) {
        forcedStatus = status;
    }

    /** Answers the next {@code requests} requests with {@code status}, then normally again (a flaky backend). */
    public void failNext(int requests, HttpResponseStatus status) {
        failureStatus = status;
        failuresLeft.set(requests);
    }

    /** Connections open right now: tells whether a proxy closed the ones it gave up on. */
    public int openConnections() {
        return open.size();
    }

    public List<ReceivedRequest> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Stops listening and closes every connection, as a crashed backend would. */
    public synchronized void stop() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
            open.close().syncUninterruptibly();
        }
    }

    /**
     * Listens again on the same port after {@link #stop()}. The port can be briefly held by the
     * operating system (a loopback ephemeral port handed to another socket), so binding is
     * retried for up to two seconds; if it still fails, the sockets on the port are printed.
     */
    public synchronized void restart() {
        if (serverChannel != null) {
            return;
        }
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (true) {
            try {
                bind();
                return;
            } catch (Exception e) {
                // Netty rethrows the checked BindException undeclared, hence Exception.
                if (System.nanoTime() > deadline) {
                    System.err.println("cannot rebind " + url() + "; sockets on the port:\n" + socketsOn(port));
                    throw new IllegalStateException("cannot rebind " + url(), e);
                }
                Pause.briefly();
            }
        }
    }

    private static String socketsOn(int port) {
        try {
            Process ss = new ProcessBuilder("ss", "-tanpo").redirectErrorStream(true).start();
            String table = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return String.join("\n", table.lines().filter(l -> l.contains(":" + port + " ")).toList());
        } catch (java.io.IOException e) {
            return "(ss failed: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private synchronized void bind() {
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        open.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024 * 1024), new Responder());
                    }
                })
                .bind(new InetSocketAddress(host, port))
                .syncUninterruptibly()
                .channel();
    }

    /**
     * Locks the list, not the backend: {@link #stop()} holds the backend's lock while it waits
     * for the event loop, which would deadlock on a request arriving during the stop.
     */
    private void remember(ReceivedRequest request) {
        synchronized (received) {
            if (received.size() == REMEMBERED) {
                received.remove(0);
            }
            received.add(request);
        }
    }

    /** What the backend saw of one request. */
    public record ReceivedRequest(String method, String uri, Map<String, List<String>> headers, String body) {

        public String header(String headerName) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(headerName))
                    .map(e -> String.join(", ", e.getValue()))
                    .findFirst().orElse(null);
        }
    }

    private final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            count.incrementAndGet();
            Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
            request.headers().forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
            String body = request.content().toString(StandardCharsets.UTF_8);
            remember(new ReceivedRequest(request.method().name(), request.uri(), Map.copyOf(headers), body));

            var query = new io.netty.handler.codec.http.QueryStringDecoder(request.uri()).parameters();
            // "?pad=N" adds N bytes of text, for answers big enough to compress or cache.
            int pad = Integer.parseInt(query.getOrDefault("pad", List.of("0")).get(0));
            String json = fixedJson;
            String text = json != null ? json : name + "\n" + request.method() + " " + request.uri() + "\n"
                    + "the quick brown fox jumps over the lazy dog ".repeat(pad / 44 + 1).substring(0, pad);
            // "?redirect=/path" answers 302 to that path on this backend's own address, as naive apps do.
            HttpResponseStatus status = query.containsKey("redirect") ? HttpResponseStatus.FOUND : HttpResponseStatus.OK;
            if (query.containsKey("status")) {
                status = HttpResponseStatus.valueOf(Integer.parseInt(query.get("status").get(0)));
            }
            HttpResponseStatus forced = forcedStatus;
            if (forced != null) {
                status = forced;
            } else if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = failureStatus;
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            if (query.containsKey("redirect")) {
                response.headers().set(HttpHeaderNames.LOCATION, url() + query.get("redirect").get(0));
            }
            // "?cacheControl=..." and "?vary=..." set those headers, "?etag=..." an ETag (answered 304 on If-None-Match).
            for (String cc : query.getOrDefault("cacheControl", List.of())) {
                response.headers().add(HttpHeaderNames.CACHE_CONTROL, cc);
            }
            for (String vary : query.getOrDefault("vary", List.of())) {
                response.headers().add(HttpHeaderNames.VARY, vary);
            }
            for (String etag : query.getOrDefault("etag", List.of())) {
                response.headers().set(HttpHeaderNames.ETAG, "\"" + etag + "\"");
                if (("\"" + etag + "\"").equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
                    response.setStatus(HttpResponseStatus.NOT_MODIFIED);
                    response.content().clear();
                }
            }
            // "?header=Name:value" adds any header to the answer (Age, Content-Range, Access-Control-Allow-Origin ...).
            for (String header : query.getOrDefault("header", List.of())) {
                int colon = header.indexOf(':');
                response.headers().add(header.substring(0, colon), header.substring(colon + 1));
            }
            // "?setCookie=name=value" answers with that cookie, as an application starting a session does.
            for (String cookie : query.getOrDefault("setCookie", List.of())) {
                response.headers().add(HttpHeaderNames.SET_COOKIE, cookie + "; Path=/");
            }
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, json != null ? "application/json"
                            : query.getOrDefault("type", List.of(HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8")).get(0))
                    .set(NAME_HEADER, name)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            // "?delay=MILLIS" holds the answer back, to keep a request in flight.
            long delay = query.getOrDefault("delay", List.of("0")).stream().mapToLong(Long::parseLong).findFirst().orElse(0);
            ctx.executor().schedule(() -> {
                var write = ctx.writeAndFlush(response);
                if (!keepAlive) {
                    write.addListener(ChannelFutureListener.CLOSE);
                }
            }, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }
}
