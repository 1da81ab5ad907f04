package io.edgegate.dataplane.upstream;

import io.edgegate.dataplane.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends requests to upstream servers over pooled HTTP/1.1 keep-alive connections. Each event
 * loop has its own pools and a request goes out on the event loop of the client connection
 * that brought it, so an exchange never crosses threads and pools need no locks.
 */
public final class UpstreamClient {

    private final Transport transport;
    private final UpstreamSettings settings;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final FastThreadLocal<Map<UpstreamAddress, ServerConnections>> pools = new FastThreadLocal<>() {
        @Override
        protected Map<UpstreamAddress, ServerConnections> initialValue() {
            return new HashMap<>();
        }
    };

    public UpstreamClient(Transport transport, UpstreamSettings settings, AddressResolverGroup<InetSocketAddress> resolver) {
        this.transport = transport;
        this.settings = settings;
        this.resolver = resolver;
    }

    /**
     * Sends {@code request} (whose reference this call takes over) to {@code address}. The
     * exchange runs on {@code loop} and the future completes on it. A pooled connection that turns out to
     * be closed by the server is replaced by a new one, once, for requests it is safe to repeat.
     */
    public CompletableFuture<FullHttpResponse> send(EventLoop loop, UpstreamAddress address, FullHttpRequest request) {
        if (!loop.inEventLoop()) {
            // A filter before us completed on another thread: hop back, pools are per loop.
            CompletableFuture<FullHttpResponse> hopped = new CompletableFuture<>();
            loop.execute(() -> send(loop, address, request).whenComplete((r, e) -> complete(hopped, r, e)));
            return hopped;
        }
        CompletableFuture<FullHttpResponse> result = new CompletableFuture<>();
        ServerConnections connections = pools.get().computeIfAbsent(address, a -> new ServerConnections(settings.maxIdlePerServer()));
        Channel idle = connections.poll();
        if (idle != null) {
            exchange(idle, connections, request.retainedDuplicate()).whenComplete((response, error) -> {
                if (error != null && isRepeatable(request)) {
                    // The server may close an idle keep-alive connection just as we reuse it.
                    connectAndExchange(loop, address, connections, request, result);
                } else {
                    request.release();
                    complete(result, response, error);
                }
            });
        } else {
            connectAndExchange(loop, address, connections, request, result);
        }
        return result;
    }

    private void connectAndExchange(EventLoop loop, UpstreamAddress address, ServerConnections connections,
                                    FullHttpRequest request, CompletableFuture<FullHttpResponse> result) {
        connect(loop, address).addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                request.release();
                Throwable cause = connected.cause();
                result.completeExceptionally(new UpstreamException("cannot connect to " + address + ": "
                        + (cause == null ? "cancelled" : cause.getMessage()), cause, true));
                return;
            }
            Channel channel = connected.channel();
            channel.closeFuture().addListener(f -> connections.forget(channel));
            exchange(channel, connections, request).whenComplete((response, error) -> complete(result, response, error));
        });
    }

    private CompletableFuture<FullHttpResponse> exchange(Channel channel, ServerConnections connections, FullHttpRequest request) {
        CompletableFuture<FullHttpResponse> exchange = new CompletableFuture<>();
        UpstreamHandler handler = channel.pipeline().get(UpstreamHandler.class);
        handler.begin(exchange);
        boolean keepAliveRequested = HttpUtil.isKeepAlive(request);
        channel.writeAndFlush(request).addListener(written -> {
            if (!written.isSuccess()) {
                handler.fail(new UpstreamException("cannot send request upstream: " + written.cause().getMessage(), written.cause(), false));
                channel.close();
            }
        });
        return exchange.whenComplete((response, error) -> {
            if (error == null && keepAliveRequested && HttpUtil.isKeepAlive(response)) {
                connections.release(channel);
            } else {
                channel.close();
            }
        });
    }

    private ChannelFuture connect(EventLoop loop, UpstreamAddress address) {
        return new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .resolver(resolver)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(
                                new HttpClientCodec(),
                                new HttpObjectAggregator(settings.maxResponseBytes()),
                                new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                                new UpstreamHandler());
                    }
                })
                .connect(address.unresolved());
    }

    private static boolean isRepeatable(FullHttpRequest request) {
        return switch (request.method().name()) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }

    private static void complete(CompletableFuture<FullHttpResponse> result, FullHttpResponse response, Throwable error) {
        if (error != null) {
            result.completeExceptionally(error);
        } else if (!result.complete(response)) {
            response.release();
        }
    }
}
