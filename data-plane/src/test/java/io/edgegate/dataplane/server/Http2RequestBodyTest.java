package io.edgegate.dataplane.server;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.StreamingBackend;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request bodies on HTTP/2: the client may send only what the server's flow-control windows allow,
 * so every byte of a large upload reaching the upstream, several at once on one connection, shows
 * that the windows are given back as the bodies are read; a body nobody reads is given back too, or
 * it would hold the connection's window shut for the streams after it. {@code Expect: 100-continue}
 * is answered only when the body is wanted.
 */
class Http2RequestBodyTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static StreamingBackend upstream;
    private int port;
    private Client client;

    @BeforeAll
    static void backend() {
        upstream = StreamingBackend.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void serve() throws Exception {
        port = FreePorts.pick();
        node.apply("""
                kind: HTTPServer
                name: uploads
                port: %d
                rules:
                - paths:
                  - path: /sink
                    backend: sink
                  - path: /ignored
                    backend: ignored
                """.formatted(port),
                proxyPipeline("sink", "roundRobin", upstream.url()),
                """
                name: ignored
                kind: HTTPPipeline
                flow:
                - filter: mock
                filters:
                - name: mock
                  kind: Mock
                  rules:
                  - code: 200
                    body: not read
                """);
        client = new Client(port);
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void uploadsLargerThanTheWindowsReachTheUpstreamWholeSeveralAtOnce() throws Exception {
        byte[] body = bytes(4 << 20);
        // Each 64 times the stream's initial window, and together 192 times the connection's.
        List<Answer> answers = List.of(client.send(1, post("/sink", body.length), body), client.send(3, post("/sink", body.length), body),
                client.send(5, post("/sink", body.length), body));

        for (Answer answer : answers) {
            answer.ended().get(30, TimeUnit.SECONDS);
            assertThat(answer.statuses()).containsExactly("200");
            assertThat(answer.body()).isEqualTo("bytes=" + body.length + " crc32=" + crc32(body));
        }
    }

    @Test
    void aBodyNobodyReadsDoesNotHoldTheConnectionsWindow() throws Exception {
        byte[] ignored = bytes(1 << 20);
        Answer first = client.send(1, post("/ignored", ignored.length), ignored);
        first.ended().get(10, TimeUnit.SECONDS);
        assertThat(first.statuses()).containsExactly("200");
        assertThat(first.body()).isEqualTo("not read");

        // Answered, the first stream is told to stop sending (RST_STREAM NO_ERROR); what of its body had come is
        // given back to the connection's window, which the upload after it needs.
        assertThat(first.reset().get(5, TimeUnit.SECONDS)).isEqualTo(Http2Error.NO_ERROR.code());
        byte[] next = bytes(1 << 20);
        Answer second = client.send(3, post("/sink", next.length), next);
        second.ended().get(30, TimeUnit.SECONDS);
        assertThat(second.body()).isEqualTo("bytes=" + next.length + " crc32=" + crc32(next));
    }

    @Test
    void expectContinueIsAnsweredWhenTheBodyIsWanted() throws Exception {
        Answer answer = client.send(1, post("/sink", 5).add("expect", "100-continue"), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> answer.statuses().contains("100"));

        client.data(1, "hello".getBytes(StandardCharsets.US_ASCII));

        answer.ended().get(10, TimeUnit.SECONDS);
        assertThat(answer.statuses()).containsExactly("100", "200");
        assertThat(answer.body()).isEqualTo("bytes=5 crc32=" + crc32("hello".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void expectContinueIsNotAnsweredForARequestRefusedOnItsHead() throws Exception {
        Answer answer = client.send(1, post("/nowhere", 5).add("expect", "100-continue"), null);

        answer.ended().get(10, TimeUnit.SECONDS);
        assertThat(answer.statuses()).containsExactly("404");
        // The body it held back is not wanted: the stream is reset without error, so the client does not send it.
        assertThat(answer.reset().get(5, TimeUnit.SECONDS)).isEqualTo(Http2Error.NO_ERROR.code());
    }

    @Test
    void aRequestInFlightWhenItsListenerDrainsIsAnsweredWhole() throws Exception {
        Answer answer = client.send(1, post("/sink", 5).add("expect", "100-continue"), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> answer.statuses().contains("100"));

        // The server goes from the config: its listener closes and its connections drain.
        node.apply(LocalNode.server("elsewhere", FreePorts.pick(), "sink"), proxyPipeline("sink", "roundRobin", upstream.url()));
        await().atMost(Duration.ofSeconds(5)).until(client::goneAway);
        client.data(1, "hello".getBytes(StandardCharsets.US_ASCII));

        answer.ended().get(10, TimeUnit.SECONDS);
        assertThat(answer.statuses()).containsExactly("100", "200");
        assertThat(answer.body()).isEqualTo("bytes=5 crc32=" + crc32("hello".getBytes(StandardCharsets.US_ASCII)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !client.isOpen());
    }

    @Test
    void aStreamResetMidUploadIsLoggedAsTheClientsDepartureAndTheConnectionGoesOn() throws Exception {
        client.send(1, post("/sink", 1 << 20).add("x-request-id", "left-mid-upload"), null);
        client.data(1, bytes(16 << 10), false);
        client.reset(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> line("left-mid-upload") != null);
        com.fasterxml.jackson.databind.JsonNode line = line("left-mid-upload");
        assertThat(line.get("responseFlags").asText()).contains("DC");
        assertThat(line.get("protocol").asText()).isEqualTo("HTTP/2.0");

        Answer next = client.send(3, post("/sink", 5), "hello".getBytes(StandardCharsets.US_ASCII));
        next.ended().get(10, TimeUnit.SECONDS);
        assertThat(next.body()).isEqualTo("bytes=5 crc32=" + crc32("hello".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void trailersEndARequestBody() throws Exception {
        Answer trailed = client.send(1, post("/sink", 5), null);
        client.data(1, "hello".getBytes(StandardCharsets.US_ASCII), false);
        client.trailers(1, new DefaultHttp2Headers().add("x-checksum", "abc"));

        trailed.ended().get(10, TimeUnit.SECONDS);
        assertThat(trailed.body()).isEqualTo("bytes=5 crc32=" + crc32("hello".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aSecondHeaderBlockThatDoesNotEndTheStreamResetsIt() throws Exception {
        // Malformed (RFC 9113 §8.1): after the request's headers, only trailers, which end the stream.
        try (RawHttp2Client raw = new RawHttp2Client(port, true)) {
            raw.awaitSettingsAcknowledged();
            raw.frame(RawHttp2Client.HEADERS, RawHttp2Client.END_HEADERS, 1, RawHttp2Client.request("/sink"));
            raw.frame(RawHttp2Client.DATA, 0, 1, "he".getBytes(StandardCharsets.US_ASCII));
            raw.frame(RawHttp2Client.HEADERS, RawHttp2Client.END_HEADERS, 1, RawHttp2Client.literal("x-more", "1"));

            await().atMost(Duration.ofSeconds(5)).until(() -> !raw.received(RawHttp2Client.RST_STREAM, 1).isEmpty());
            assertThat((long) raw.received(RawHttp2Client.RST_STREAM, 1).get(0).errorCode()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
        }
    }

    private void serveUploadsWithAnIdleTimeOfOneSecond() throws Exception {
        node.apply("""
                kind: HTTPServer
                name: uploads
                port: %d
                keepAliveTimeout: 1s
                rules:
                - paths:
                  - path: /sink
                    backend: sink
                """.formatted(port), proxyPipeline("sink", "roundRobin", upstream.url()));
    }

    @Test
    void aBodyTheClientStopsSendingIsResetAfterTheIdleTime() throws Exception {
        serveUploadsWithAnIdleTimeOfOneSecond();
        try (Client patient = new Client(port)) {
            Answer stalled = patient.send(1, post("/sink", 1000), null);
            patient.data(1, bytes(10), false);

            // Nothing more comes: after the idle time (1 s) the stream is reset, as HTTP/1.1 closes its connection.
            assertThat(stalled.reset().get(10, TimeUnit.SECONDS)).isEqualTo(Http2Error.CANCEL.code());
            assertThat(stalled.statuses()).isEmpty();
        }
    }

    /**
     * Request bodies nobody reads yet hold the client's window: a connection's unread bytes stay within its window
     * (1 MB) however many streams carry them, rather than a window plus a read-ahead buffer per stream.
     */
    @Test
    void unreadBodiesOfManyStreamsStayWithinTheConnectionsWindow() throws Exception {
        node.apply("""
                kind: HTTPServer
                name: uploads
                port: %d
                clientMaxBodySize: -1
                rules:
                - paths:
                  - path: /later
                    backend: later
                """.formatted(port), """
                name: later
                kind: HTTPPipeline
                flow:
                - filter: mock
                filters:
                - name: mock
                  kind: Mock
                  rules:
                  - code: 200
                    delay: 5s
                    body: read nothing
                """);
        try (Client uploader = new Client(port)) {
            byte[] body = bytes(128 * 1024);
            for (int id = 1; id <= 79; id += 2) {
                uploader.send(id, post("/later", body.length), body);
            }
            // What the server's windows let through, once nothing more moves (the mock reads no body for 5 s).
            await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100)).until(() -> uploader.window(1) == 0);
            long[] last = {-1};
            await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(300)).until(() -> {
                long now = uploader.written.get();
                boolean settled = now == last[0];
                last[0] = now;
                return settled;
            });
            assertThat(uploader.written.get()).as("40 streams of 128 KB: their bodies held to the connection's 1 MB window")
                    .isLessThan(Http2ServerHandler.CONNECTION_WINDOW + 64 * 1024);
        }
    }

    /** The idle time counts per stream: PINGs (or other streams) keep the connection busy, not a body the client stopped. */
    @Test
    void aBodyTheClientStopsSendingIsResetWhileTheConnectionPings() throws Exception {
        serveUploadsWithAnIdleTimeOfOneSecond();
        try (Client pinging = new Client(port)) {
            Answer stalled = pinging.send(1, post("/sink", 1000), null);
            pinging.data(1, bytes(10), false);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!stalled.reset().isDone() && System.nanoTime() < deadline) {
                pinging.ping();
                Thread.sleep(200); // the traffic itself: a PING every 200 ms, well within the idle time
            }
            assertThat(stalled.reset().getNow(-1L)).isEqualTo(Http2Error.CANCEL.code());
            assertThat(pinging.isOpen()).isTrue();
        }
    }

    @Test
    void aStreamAnsweredWhileTheClientStillSendsIsResetWithoutError() throws Exception {
        Answer answer = client.send(1, post("/ignored", 1000), null);
        client.data(1, bytes(10), false);

        answer.ended().get(10, TimeUnit.SECONDS);
        assertThat(answer.statuses()).containsExactly("200");
        // The rest of the body is not wanted: asked to stop without an error, or the stream would stay open for ever.
        assertThat(answer.reset().get(5, TimeUnit.SECONDS)).isEqualTo(Http2Error.NO_ERROR.code());
    }

    @Test
    void aRequestRefusedOnItsHeadKeepsItsAnswerAndIsResetWithoutError() throws Exception {
        long logged = node.accessLog().written();
        Answer refused = client.send(1, new DefaultHttp2Headers().method("POST").path("/sink").authority("uploads.example")
                .setInt("content-length", 10), null);

        refused.ended().get(10, TimeUnit.SECONDS);
        assertThat(refused.statuses()).as("no :scheme").containsExactly("400");
        assertThat(refused.reset().get(5, TimeUnit.SECONDS)).isEqualTo(Http2Error.NO_ERROR.code());
        // Logged and counted as an HTTP/1.1 refusal on its head is.
        await().atMost(Duration.ofSeconds(5)).until(() -> node.accessLog().written() > logged);
    }

    @Test
    void aPathWithASpaceOrTabAndAStarForGetAreRefused() throws Exception {
        Answer tab = client.send(1, new DefaultHttp2Headers().method("GET").path("/sink\t/admin").scheme("http")
                .authority("uploads.example"), null);
        Answer space = client.send(3, new DefaultHttp2Headers().method("GET").path("/sink /admin").scheme("http")
                .authority("uploads.example"), null);
        Answer star = client.send(5, new DefaultHttp2Headers().method("GET").path("*").scheme("http")
                .authority("uploads.example"), null);

        for (Answer answer : List.of(tab, space, star)) {
            answer.ended().get(10, TimeUnit.SECONDS);
            assertThat(answer.statuses()).containsExactly("400");
        }
    }

    @Test
    void aBodyStuckBehindASlowUpstreamDoesNotHoldBackTheBodiesOfOtherStreams() throws Exception {
        // An upstream that takes connections and reads nothing: the proxy's upload to it stalls once its buffers are full.
        try (java.net.ServerSocket stuck = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            node.apply("""
                    kind: HTTPServer
                    name: uploads
                    port: %d
                    clientMaxBodySize: -1
                    rules:
                    - paths:
                      - path: /sink
                        backend: sink
                      - path: /stuck
                        backend: stuck
                    """.formatted(port), proxyPipeline("sink", "roundRobin", upstream.url()),
                    proxyPipeline("stuck", "roundRobin", "http://127.0.0.1:" + stuck.getLocalPort()));
            byte[] large = bytes(32 << 20);
            client.send(1, post("/stuck", large.length), large);
            // Stream 1 stops for good (not the moment between two window updates): its window holds bytes the proxy
            // cannot pass on.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30)).until(() -> client.window(1) == 0);

            Answer other = client.send(3, post("/sink", 5), "hello".getBytes(StandardCharsets.US_ASCII));

            other.ended().get(10, TimeUnit.SECONDS);
            assertThat(other.body()).isEqualTo("bytes=5 crc32=" + crc32("hello".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    /** The access-log line of the request with {@code requestId}, or null while there is none. */
    private static com.fasterxml.jackson.databind.JsonNode line(String requestId) throws java.io.IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String text : java.nio.file.Files.readAllLines(node.accessLogFile())) {
            com.fasterxml.jackson.databind.JsonNode parsed = json.readTree(text);
            if (parsed.get("requestId").asText().equals(requestId)) {
                return parsed;
            }
        }
        return null;
    }

    private static Http2Headers post(String path, int length) {
        return new DefaultHttp2Headers().method("POST").path(path).scheme("http").authority("uploads.example")
                .setInt("content-length", length);
    }

    private static byte[] bytes(int size) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) (i * 7 + i / 4096);
        }
        return body;
    }

    private static String crc32(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return Long.toHexString(crc.getValue());
    }

    /** What the server answered on one stream. */
    record Answer(List<String> statuses, ByteArrayOutputStream bytes, CompletableFuture<Void> ended, CompletableFuture<Long> reset) {

        String body() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8).strip();
            }
        }
    }

    /** An HTTP/2 client over cleartext (prior knowledge) whose bodies go out as the server's windows allow. */
    private static final class Client implements AutoCloseable {

        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        private final Map<Integer, Answer> answers = new ConcurrentHashMap<>();
        private final Map<Integer, CompletableFuture<Void>> bodiesSent = new ConcurrentHashMap<>();
        private final Http2ConnectionHandler handler;
        private final Channel channel;
        /** Bytes the client has written to its socket: frames the server's windows let through. */
        final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();

        Client(int port) {
            handler = new Http2ConnectionHandlerBuilder().server(false).gracefulShutdownTimeoutMillis(0).frameListener(new Http2FrameAdapter() {
                @Override
                public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream) {
                    Answer answer = answers.get(streamId);
                    if (headers.status() != null) {
                        answer.statuses().add(headers.status().toString());
                    }
                    if (endOfStream) {
                        answer.ended().complete(null);
                    }
                }

                @Override
                public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                                          short weight, boolean exclusive, int padding, boolean endOfStream) {
                    onHeadersRead(ctx, streamId, headers, padding, endOfStream);
                }

                @Override
                public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
                    Answer answer = answers.get(streamId);
                    synchronized (answer.bytes()) {
                        answer.bytes().writeBytes(io.netty.buffer.ByteBufUtil.getBytes(data));
                    }
                    if (endOfStream) {
                        answer.ended().complete(null);
                    }
                    return data.readableBytes() + padding;
                }

                @Override
                public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
                    Answer answer = answers.get(streamId);
                    answer.reset().complete(errorCode);
                    answer.ended().completeExceptionally(new IllegalStateException("stream reset with " + errorCode));
                }
            }).build();
            channel = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new io.netty.channel.ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new io.netty.channel.ChannelOutboundHandlerAdapter() {
                        @Override
                        public void write(ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
                            if (msg instanceof ByteBuf bytes) {
                                written.addAndGet(bytes.readableBytes());
                            }
                            ctx.write(msg, promise);
                        }
                    }, handler);
                }
            }).connect("127.0.0.1", port).syncUninterruptibly().channel();
        }

        /** Opens stream {@code id} with {@code headers}, and {@code body} after them unless it is null (the stream then stays open). */
        Answer send(int id, Http2Headers headers, byte[] body) {
            Answer answer = new Answer(new CopyOnWriteArrayList<>(), new ByteArrayOutputStream(), new CompletableFuture<>(),
                    new CompletableFuture<>());
            answers.put(id, answer);
            onLoop(ctx -> {
                handler.encoder().writeHeaders(ctx, id, headers, 0, false, ctx.newPromise());
                if (body != null) {
                    writeBody(ctx, id, body, true);
                }
            });
            return answer;
        }

        /** The rest of stream {@code id}: {@code body}, which ends it. */
        void data(int id, byte[] body) {
            data(id, body, true);
        }

        /** More of stream {@code id}'s body, the last of it when {@code end}. */
        void data(int id, byte[] body, boolean end) {
            onLoop(ctx -> writeBody(ctx, id, body, end));
        }

        /** Trailers that end stream {@code id}. */
        void trailers(int id, Http2Headers trailers) {
            onLoop(ctx -> handler.encoder().writeHeaders(ctx, id, trailers, 0, true, ctx.newPromise()));
        }

        /** A PING: traffic on the connection that moves no stream. */
        void ping() {
            onLoop(ctx -> handler.encoder().writePing(ctx, false, System.nanoTime(), ctx.newPromise()));
        }

        /** Cancels stream {@code id} (RST_STREAM CANCEL). */
        void reset(int id) {
            onLoop(ctx -> handler.resetStream(ctx, id, Http2Error.CANCEL.code(), ctx.newPromise()));
        }

        /** What the server's window lets stream {@code id} send now (the smaller of the stream's and the connection's). */
        int window(int id) throws Exception {
            return channel.eventLoop().submit(() -> {
                io.netty.handler.codec.http2.Http2Connection connection = handler.connection();
                io.netty.handler.codec.http2.Http2Stream stream = connection.stream(id);
                int connectionWindow = connection.remote().flowController().windowSize(connection.connectionStream());
                return stream == null ? connectionWindow : Math.min(connectionWindow, connection.remote().flowController().windowSize(stream));
            }).get(5, TimeUnit.SECONDS);
        }

        /** Whether the server said GOAWAY. */
        boolean goneAway() {
            return handler.connection().goAwayReceived();
        }

        boolean isOpen() {
            return channel.isActive();
        }

        /** Whether the whole body of stream {@code id} went out (the server's windows let it). */
        boolean sent(int id) {
            CompletableFuture<Void> sent = bodiesSent.get(id);
            return sent != null && sent.isDone() && !sent.isCompletedExceptionally();
        }

        private void writeBody(ChannelHandlerContext ctx, int id, byte[] body, boolean end) {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            bodiesSent.put(id, sent);
            // Queued by the flow controller, which sends each part as the server opens the windows.
            handler.encoder().writeData(ctx, id, Unpooled.wrappedBuffer(body), 0, end, ctx.newPromise()).addListener(f -> {
                if (f.isSuccess()) {
                    sent.complete(null);
                } else {
                    sent.completeExceptionally(f.cause());
                }
            });
        }

        private void onLoop(java.util.function.Consumer<ChannelHandlerContext> write) {
            channel.eventLoop().submit(() -> {
                ChannelHandlerContext ctx = channel.pipeline().context(handler);
                write.accept(ctx);
                handler.flush(ctx);
            }).syncUninterruptibly();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
