package io.edgegate.dataplane.server;

import io.edgegate.dataplane.filter.BuiltInFilters;
import io.edgegate.dataplane.pipeline.FilterFailures;
import io.edgegate.dataplane.pipeline.FilterRegistry;
import io.edgegate.dataplane.metrics.NodeMetrics;
import io.edgegate.dataplane.pipeline.PipelineBuilder;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.DocumentSplitter;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.edgegate.spec.pipeline.PipelineSpec;
import io.edgegate.spec.server.HttpServerSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real HTTP/1.1 server connection without a socket: the handlers a listener installs
 * (header timeout, codec, {@link Http1Connection}) on an {@link EmbeddedChannel}, over a server
 * and pipelines written in YAML. Pipelines here need no node services (no Proxy).
 */
final class EmbeddedHttp1 {

    private EmbeddedHttp1() {
    }

    static ServerState state(String serverYaml, String... pipelineYaml) {
        DocumentParser parser = new DocumentParser();
        ObjectDecoder decoder = new ObjectDecoder(FilterSpecKinds.builtIn());
        try {
            HttpServerSpec server = (HttpServerSpec) decoder.decode(
                    parser.parse(DocumentSplitter.split("test", serverYaml).get(0)), ValidationMode.STRICT).spec();
            List<PipelineSpec> pipelines = new ArrayList<>();
            for (String yaml : pipelineYaml) {
                pipelines.add((PipelineSpec) decoder.decode(
                        parser.parse(DocumentSplitter.split("test", yaml).get(0)), ValidationMode.STRICT).spec());
            }
            PipelineBuilder builder = new PipelineBuilder(new FilterRegistry(FilterSpecKinds.builtIn(),
                    BuiltInFilters.all(new BuiltInFilters.Needs(null, null, null, null, null, null, Clock.systemUTC()))),
                    new FilterFailures());
            return ServerState.of(server, builder.build(pipelines, PipelineBuilder.Generation.EMPTY).pipelines(), Optional.empty(),
                    new NodeMetrics("test").server(server.name()), io.edgegate.dataplane.accesslog.AccessLog.off(),
                    io.edgegate.dataplane.tracing.Tracing.off());
        } catch (Exception e) {
            throw new IllegalStateException("the test's own config must decode", e);
        }
    }

    /** A server whose limit on bodies is 16 bytes, answering /a with "first" and /b with "second" (200) from a Mock. */
    static ServerState twoMockedPaths() {
        return state("""
                kind: HTTPServer
                name: s
                port: 8080
                clientMaxBodySize: 16
                rules:
                - paths:
                  - pathPrefix: /
                    backend: answer
                """, """
                kind: HTTPPipeline
                name: answer
                filters:
                - name: mock
                  kind: Mock
                  rules:
                  - match: {path: /a}
                    code: 200
                    body: first
                  - match: {path: /b}
                    code: 200
                    body: second
                """);
    }

    /** A connection of a client at 127.0.0.1 to a server in {@code state}. */
    static EmbeddedChannel connection(ServerState state, ByteBufAllocator allocator, long headerTimeoutMillis) {
        EmbeddedChannel channel = new ClientChannel();
        channel.config().setAllocator(allocator);
        channel.config().setAutoRead(false);
        HeaderTimeout headerTimeout = new HeaderTimeout(headerTimeoutMillis);
        channel.pipeline().addLast(headerTimeout,
                new HttpServerCodec(HttpListener.MAX_INITIAL_LINE, HttpListener.MAX_HEADER_SIZE, 8192),
                new Http1Connection(() -> state, headerTimeout, new RequestContext.Connection("http", false), new io.edgegate.dataplane.http.ResponseDate()));
        return channel;
    }

    /** Sends {@code bytes} as the client and returns what the server wrote back meanwhile. */
    static String exchange(EmbeddedChannel channel, String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
        return written(channel);
    }

    /** What the server wrote and the test has not read yet. */
    static String written(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        Object message;
        while ((message = channel.readOutbound()) != null) {
            if (message instanceof ByteBuf buf) {
                out.append(buf.toString(StandardCharsets.ISO_8859_1));
            }
            ReferenceCountUtil.release(message);
        }
        return out.toString();
    }

    /** Throws away whatever is left to read on either side. */
    static void drain(EmbeddedChannel channel) {
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(out);
        }
        while ((out = channel.readInbound()) != null) {
            ReferenceCountUtil.release(out);
        }
    }

    /**
     * An embedded channel as a server accepts it: its peer is an IP address, and its parent a
     * server channel (HTTP/2's multiplexer tells server from client connections by that).
     */
    static final class ClientChannel extends EmbeddedChannel {

        private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

        ClientChannel() {
            super(new io.netty.channel.local.LocalServerChannel(), io.netty.channel.DefaultChannelId.newInstance(), true, false);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return PEER;
        }
    }
}
