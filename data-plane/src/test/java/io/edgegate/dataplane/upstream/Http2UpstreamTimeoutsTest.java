package io.edgegate.dataplane.upstream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.transport.Transport;
import io.edgegate.security.TlsProvider;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 upstreams (gRPC) are timed per stream: a stream whose answer does not start fails after the
 * idle time even while other streams keep its connection busy (the stream is reset, the connection
 * stays); once it answered, a stream may stay silent, as server streams and watches do.
 */
class Http2UpstreamTimeoutsTest {

    private static final Duration IDLE = Duration.ofMillis(400);

    private final Transport transport = Transport.detect();
    private final EventLoopGroup group = transport.newGroup(1, "h2-timeouts-test");
    private final DnsAddressResolverGroup resolver =
            new DnsAddressResolverGroup(new DnsNameResolverBuilder().datagramChannelType(transport.datagramChannel()));
    private final UpstreamClient client = new UpstreamClient(transport,
            new UpstreamSettings(Duration.ofSeconds(2), IDLE, 16), resolver, TlsProvider.JDK);
    private final EventLoop loop = group.next();
    private final ScriptedHttp2Server server = new ScriptedHttp2Server(transport);

    @AfterEach
    void stop() throws Exception {
        server.close();
        resolver.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private CompletableFuture<UpstreamResponse> call(String path, boolean callerTimesAnswer) {
        DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path);
        request.headers().set("content-type", "application/grpc").set("host", "127.0.0.1");
        return client.send(loop, new UpstreamAddress("127.0.0.1", server.port(), false), request, BodyStream.EMPTY, 16,
                callerTimesAnswer);
    }

    @Test
    void aStreamWithoutAnAnswerFailsWhileItsConnectionIsBusyWithOthers() throws Exception {
        CompletableFuture<UpstreamResponse> silent = call("/silent", false);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE.toMillis() * 4);
        // Other calls keep the shared connection reading all the while.
        while (!silent.isDone() && System.nanoTime() < deadline) {
            UpstreamResponse ok = call("/ok", false).get(5, TimeUnit.SECONDS);
            assertThat(new String(bodyOf(ok).get(5, TimeUnit.SECONDS), UTF_8)).isEqualTo("ok");
        }

        assertThatThrownBy(() -> silent.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(UpstreamTimeoutException.class).hasMessageContaining("no answer within");
        assertThat(server.awaitReset("/silent")).as("the silent stream is reset, so the server can let go of it").isTrue();
        assertThat(server.connections()).as("one connection carried every call").isEqualTo(1);
    }

    @Test
    void aCallerWithADeadlineOfItsOwnIsNotCutShort() {
        CompletableFuture<UpstreamResponse> silent = call("/silent", true);

        assertThatThrownBy(() -> silent.get(3 * IDLE.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        silent.cancel(false);
    }

    /** A gRPC server stream (a watch) sends nothing between events: once it answered, its silence is not cut. */
    @Test
    void aStreamThatAnsweredMayStaySilent() throws Exception {
        UpstreamResponse response = call("/stall", false).get(5, TimeUnit.SECONDS);
        assertThat(response.head().status().code()).isEqualTo(200);

        CompletableFuture<byte[]> body = bodyOf(response);
        assertThatThrownBy(() -> body.get(4 * IDLE.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        loop.submit(() -> response.body().discard()).get(5, TimeUnit.SECONDS);
    }

    /** The body read whole, on the event loop that owns it (a body is read from its loop only). */
    private CompletableFuture<byte[]> bodyOf(UpstreamResponse response) throws Exception {
        return loop.submit(() -> BodyCollector.collectBytes(response.body(), ByteBufAllocator.DEFAULT, 1 << 20)).get(5, TimeUnit.SECONDS);
    }

    /**
     * An h2c server: {@code /ok} answers "ok", {@code /silent} never answers, {@code /stall} sends its
     * head and a first piece of body, then nothing. Streams the client resets are noted by path.
     */
    private static final class ScriptedHttp2Server implements AutoCloseable {
        private final EventLoopGroup group;
        private final Channel listener;
        private final Set<Channel> accepted = ConcurrentHashMap.newKeySet();
        private final ConcurrentHashMap<String, CompletableFuture<Boolean>> resets = new ConcurrentHashMap<>();

        ScriptedHttp2Server(Transport transport) {
            group = transport.newGroup(1, "h2-scripted-upstream");
            listener = new ServerBootstrap().group(group).channel(transport.serverChannel())
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            accepted.add(ch);
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new Script());
                        }
                    })
                    .bind("127.0.0.1", 0).syncUninterruptibly().channel();
        }

        int port() {
            return ((InetSocketAddress) listener.localAddress()).getPort();
        }

        int connections() {
            return accepted.size();
        }

        boolean awaitReset(String path) throws Exception {
            return resets.computeIfAbsent(path, p -> new CompletableFuture<>()).get(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            listener.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }

        private final class Script extends ChannelInboundHandlerAdapter {
            private final ConcurrentHashMap<Integer, String> paths = new ConcurrentHashMap<>();

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Http2HeadersFrame headers) {
                    String path = headers.headers().path().toString();
                    paths.put(headers.stream().id(), path);
                    if (path.equals("/ok")) {
                        answer(ctx, headers.stream(), "ok", true);
                    } else if (path.equals("/stall")) {
                        answer(ctx, headers.stream(), "first piece", false);
                    }
                } else if (msg instanceof Http2ResetFrame reset) {
                    resets.computeIfAbsent(paths.getOrDefault(reset.stream().id(), "?"), p -> new CompletableFuture<>()).complete(true);
                }
                ReferenceCountUtil.release(msg);
            }

            private static void answer(ChannelHandlerContext ctx, Http2FrameStream stream, String body, boolean end) {
                ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200").set("content-type", "application/grpc"))
                        .stream(stream));
                ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(body, UTF_8), end).stream(stream));
            }
        }
    }
}
