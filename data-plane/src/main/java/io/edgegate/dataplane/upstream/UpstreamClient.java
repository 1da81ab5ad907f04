package io.edgegate.dataplane.upstream;

import io.edgegate.async.Causes;
import io.edgegate.dataplane.http.BodyPump;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.transport.Transport;
import io.edgegate.security.TlsProvider;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends requests to upstream servers over pooled HTTP/1.1 keep-alive connections and streams
 * both bodies. Each event loop has its own pools and a request goes out on the event loop of
 * the client connection that brought it, so an exchange never crosses threads and pools need
 * no locks. A connection goes back to the pool only when its request was sent whole and its
 * response read to the end.
 */
public final class UpstreamClient {

    /**
     * The largest piece of a response body the codec hands on at once. Netty's default, 8 KB, split
     * a 16 KB body that arrived in one read into pieces that each went to the client with a write
     * of its own (~3 writes per request where 2 do); a read holds at most 64 KB anyway.
     */
    private static final int RESPONSE_CHUNK_BYTES = 64 * 1024;

    private final Transport transport;
    private final UpstreamSettings settings;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final FastThreadLocal<Map<UpstreamAddress, ServerConnections>> pools = new FastThreadLocal<>() {
        @Override
        protected Map<UpstreamAddress, ServerConnections> initialValue() {
            return new HashMap<>();
        }
    };

    private final UpstreamTls tls;
    private final Http2Upstreams http2;

    /**
     * With {@link TlsProvider#OPENSSL} asked for by name, a node where OpenSSL does not load fails
     * to start; otherwise the TLS contexts are made when first needed (see {@link #prepareTls}).
     */
    public UpstreamClient(Transport transport, UpstreamSettings settings, AddressResolverGroup<InetSocketAddress> resolver,
                          TlsProvider tlsProvider) {
        this(transport, settings, resolver, tlsProvider, false);
    }

    /**
     * {@code verifiesServers}: https servers must show a certificate the JDK's CAs trust for their host name (for
     * calls to identity providers); otherwise, as a proxy's upstreams, they are not verified.
     */
    public UpstreamClient(Transport transport, UpstreamSettings settings, AddressResolverGroup<InetSocketAddress> resolver,
                          TlsProvider tlsProvider, boolean verifiesServers) {
        this.transport = transport;
        this.settings = settings;
        this.resolver = resolver;
        if (tlsProvider == TlsProvider.OPENSSL) {
            // Throws, with the reason, where OpenSSL does not load: asked for by name, it must not fail later.
            tlsProvider.netty();
        }
        this.tls = new UpstreamTls(tlsProvider, verifiesServers);
        this.http2 = new Http2Upstreams(transport, settings, resolver, tls);
    }

    /** Makes the TLS contexts for https upstreams now, so the first such request need not wait for them. Blocks. */
    public void prepareTls() {
        tls.prepare();
    }

    /**
     * Sends {@code head} and streams {@code body} to {@code address}. Completes, on
     * {@code loop}, when the response head arrives; its body is read as it is pulled. A
     * pooled connection that turns out to be closed is replaced once, if no byte of the body
     * had been taken yet.
     */
    public CompletableFuture<UpstreamResponse> send(EventLoop loop, UpstreamAddress address, HttpRequest head, BodyStream body) {
        return send(loop, address, head, body, settings.maxIdlePerServer());
    }

    /** How many idle connections to one server each event loop keeps, unless a caller says otherwise. */
    public int maxIdlePerServer() {
        return settings.maxIdlePerServer();
    }

    /** As {@link #send(EventLoop, UpstreamAddress, HttpRequest, BodyStream, int, boolean)}, the answer timed here. */
    public CompletableFuture<UpstreamResponse> send(EventLoop loop, UpstreamAddress address, HttpRequest head, BodyStream body,
                                                    int maxIdle) {
        return send(loop, address, head, body, maxIdle, false);
    }

    /**
     * As {@link #send(EventLoop, UpstreamAddress, HttpRequest, BodyStream)}; when the exchange ends and its
     * connection could be kept, it is kept only if fewer than {@code maxIdle} are idle to that server on this loop.
     * An answer (HTTP/1 or HTTP/2) that does not start within the idle timeout of the request being sent fails with
     * {@link UpstreamTimeoutException}, unless {@code callerTimesAnswer} (the caller has a deadline of its own).
     */
    public CompletableFuture<UpstreamResponse> send(EventLoop loop, UpstreamAddress address, HttpRequest head, BodyStream body,
                                                    int maxIdle, boolean callerTimesAnswer) {
        CompletableFuture<UpstreamResponse> result = new CompletableFuture<>();
        if (needsHttp2(head)) {
            if (!loop.inEventLoop()) {
                loop.execute(() -> attemptHttp2(loop, address, head, body, result, !callerTimesAnswer));
            } else {
                attemptHttp2(loop, address, head, body, result, !callerTimesAnswer);
            }
            return result;
        }
        if (!loop.inEventLoop()) {
            loop.execute(() -> attempt(loop, address, head, body, result, true, maxIdle, !callerTimesAnswer));
        } else {
            attempt(loop, address, head, body, result, true, maxIdle, !callerTimesAnswer);
        }
        return result;
    }

    /** gRPC needs HTTP/2 (and its trailers) all the way; gRPC-Web is made for HTTP/1. */
    private static boolean needsHttp2(HttpRequest head) {
        String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.startsWith("application/grpc") && !type.startsWith("application/grpc-web");
    }

    private void attemptHttp2(EventLoop loop, UpstreamAddress address, HttpRequest head, BodyStream body,
                              CompletableFuture<UpstreamResponse> result, boolean answerTimedHere) {
        // gRPC servers may check that the client (here, the proxy) takes trailers.
        head.headers().set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
        http2.openStream(loop, address).addListener((Future<Http2StreamChannel> opened) -> {
            if (!opened.isSuccess()) {
                // Nothing of the body was taken: it stays the caller's, which may still send it elsewhere.
                Throwable cause = opened.cause();
                result.completeExceptionally(cause instanceof UpstreamException ? cause
                        : new UpstreamException("cannot open a stream to " + address + ": " + cause.getMessage(), cause, true));
                return;
            }
            exchangeOnStream(opened.getNow(), head, body, result, answerTimedHere);
        });
    }

    /**
     * Ends an exchange early, closing its connection or stream: when the client's body broke
     * (it went away) before an answer, with the body's own failure (e.g. too large) rather than
     * the closed connection it causes; and when the caller gave up (client gone, or a timeout).
     */
    private static void abandonWith(Channel channel, CompletableFuture<Void> sent, CompletableFuture<HttpResponse> response,
                                    CompletableFuture<UpstreamResponse> result) {
        sent.whenComplete((ok, failed) -> {
            if (failed != null && !response.isDone()) {
                result.completeExceptionally(Causes.unwrap(failed));
                channel.close();
            }
        });
        // The caller gave up (client gone, or no answer in time): the exchange ends with its connection.
        result.whenComplete((ok, failed) -> {
            if (failed != null && !response.isDone()) {
                channel.close();
            }
        });
    }

    /**
     * One request on its own HTTP/2 stream: nothing to pool, the stream ends with the exchange. The
     * stream's idle timer times its answer and its body as an HTTP/1 connection's times them.
     */
    private void exchangeOnStream(Http2StreamChannel stream, HttpRequest head, BodyStream body,
                                  CompletableFuture<UpstreamResponse> result, boolean answerTimedHere) {
        UpstreamHandler handler = stream.pipeline().get(UpstreamHandler.class);
        CompletableFuture<HttpResponse> response = handler.begin(() -> { });
        stream.write(head);
        CompletableFuture<Void> sent = BodyPump.start(body, stream).done();
        stream.read();
        abandonWith(stream, sent, response, result);
        if (answerTimedHere) {
            sent.thenRun(handler::awaitAnswer);
        }
        response.whenComplete((responseHead, error) -> {
            if (result.isDone()) {
                if (error == null) {
                    handler.body().discard();
                }
                return;
            }
            if (error != null) {
                body.discard();
                stream.close();
                result.completeExceptionally(error);
                return;
            }
            result.complete(new UpstreamResponse(responseHead, handler.body(), null));
        });
    }

    /**
     * One try on a pooled or new connection. {@link Http1Exchange} calls it again, on a new
     * connection, when a reused one failed before taking any of the body.
     */
    void attempt(EventLoop loop, UpstreamAddress address, HttpRequest head, BodyStream body,
                 CompletableFuture<UpstreamResponse> result, boolean mayReuse, int maxIdle, boolean answerTimedHere) {
        Map<UpstreamAddress, ServerConnections> loopPools = pools.get();
        ServerConnections connections = loopPools.computeIfAbsent(address, a -> new ServerConnections());
        Channel idle = mayReuse ? connections.poll() : null;
        if (idle != null) {
            Http1Exchange.start(this, loop, address, idle, connections, head, body, result, true, maxIdle, answerTimedHere);
            return;
        }
        connections.opening();
        connect(loop, address).addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                // A socket that could not even be made (too many open files) fails on Netty's global executor, not this loop.
                if (loop.inEventLoop()) {
                    dropIfUnused(loopPools, address, connections);
                } else {
                    loop.execute(() -> dropIfUnused(loopPools, address, connections));
                }
                // Nothing of the body was taken: it stays the caller's, which may still send it elsewhere.
                Throwable cause = connected.cause();
                result.completeExceptionally(new UpstreamException("cannot connect to " + address + ": "
                        + (cause == null ? "cancelled" : cause.getMessage()), cause, true));
                return;
            }
            Channel channel = connected.channel();
            channel.closeFuture().addListener(f -> {
                connections.forget(channel);
                dropIfUnused(loopPools, address, connections);
            });
            Http1Exchange.start(this, loop, address, channel, connections, head, body, result, false, maxIdle, answerTimedHere);
        });
    }

    /** On the loop that owns {@code loopPools}: a server with no connection open or opening is not kept. */
    private static void dropIfUnused(Map<UpstreamAddress, ServerConnections> loopPools, UpstreamAddress address,
                                     ServerConnections connections) {
        if (connections.ended()) {
            loopPools.remove(address, connections);
        }
    }

    /** How many upstream servers the calling event loop keeps connections to (for tests). */
    int serversPooledOnThisLoop() {
        return pools.get().size();
    }

    private ChannelFuture connect(EventLoop loop, UpstreamAddress address) {
        return UpstreamBootstrap.on(loop, transport, resolver, settings)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (address.tls()) {
                            // Host names go out as SNI; IP literals are left out by the engine.
                            ch.pipeline().addLast(UpstreamPipeline.TLS, tls.http1().newHandler(ch.alloc(), address.host(), address.port()));
                        }
                        IdleStateHandler idle = new IdleStateHandler(settings.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS);
                        ch.pipeline()
                                .addLast(UpstreamPipeline.CODEC, new UpstreamHttpCodec(
                                        new HttpDecoderConfig().setMaxChunkSize(RESPONSE_CHUNK_BYTES)))
                                .addLast(UpstreamPipeline.IDLE, idle)
                                .addLast(UpstreamPipeline.HANDLER, new UpstreamHandler(idle));
                    }
                })
                .connect(address.unresolved());
    }
}
