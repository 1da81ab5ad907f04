package io.edgegate.dataplane.filter.websocketproxy;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.StreamingBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WebSocketProxy through a real listener to a real WebSocket echo server: relaying, message limits, origins. */
class WebSocketProxyTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static StreamingBackend echo;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void backend() {
        echo = StreamingBackend.start();
    }

    @AfterAll
    static void stop() {
        echo.close();
    }

    /** What one connection saw: the first reply, or how it closed. */
    private static final class Seen implements WebSocket.Listener {
        final CompletableFuture<String> reply = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        /** Every reply, in order. */
        final java.util.concurrent.BlockingQueue<String> replies = new java.util.concurrent.LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                reply.complete(text.toString());
                replies.add(text.toString());
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.complete(-1);
        }
    }

    private static int serve(String pipeline) throws Exception {
        int port = FreePorts.pick();
        String wsEcho = echo.url().replace("http://", "ws://");
        node.apply(server("s", port, "websocket-pipeline"), pipeline.replace("ws://127.0.0.1:9095", wsEcho));
        return port;
    }

    private static WebSocket connect(int port, Seen seen, String origin) throws Exception {
        WebSocket.Builder builder = http.newWebSocketBuilder();
        if (origin != null) {
            builder.header("Origin", origin);
        }
        return builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), seen).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aServerThatCannotHandshakeIsTakenOutOfTheRotationByTheWsProbe() throws Exception {
        try (io.edgegate.testkit.EchoBackend plain = io.edgegate.testkit.EchoBackend.start("plain")) {
            // The plain backend answers HTTP (its http probe passes) but no WebSocket handshake.
            int port = serve(example("filters/websocket-health-check.yaml").replace("ws://127.0.0.1:9096",
                    plain.url().replace("http://", "ws://")));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
                for (int i = 0; i < 4; i++) {
                    Seen seen = new Seen();
                    try {
                        connect(port, seen, null).sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(plain.received()).extracting(io.edgegate.testkit.EchoBackend.ReceivedRequest::uri).contains("/bytes/1");
        }
    }

    @Test
    void messagesAreRelayedBothWays() throws Exception {
        int port = serve(example("filters/websocket.yaml"));
        Seen seen = new Seen();
        WebSocket socket = connect(port, seen, null);

        socket.sendText("hello", true).get(5, TimeUnit.SECONDS);

        assertThat(seen.reply.get(5, TimeUnit.SECONDS)).isEqualTo("echo: hello");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }

    /** A deleted server takes its tunnels with it: a WebSocket must not outlive the route that let it in. */
    @Test
    void aTunnelClosesWhenItsServerIsDeleted() throws Exception {
        String pipeline = example("filters/websocket.yaml").replace("ws://127.0.0.1:9095", echo.url().replace("http://", "ws://"));
        int port = serve(example("filters/websocket.yaml"));
        Seen seen = new Seen();
        WebSocket socket = connect(port, seen, null);
        socket.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertThat(seen.reply.get(5, TimeUnit.SECONDS)).isEqualTo("echo: hello");

        node.apply(pipeline);

        assertThat(seen.closed.get(5, TimeUnit.SECONDS)).as("the tunnel ended with its server").isNotNull();
    }

    @Test
    void aMessageOverTheClientLimitClosesWith1009AndASmallerOneInPiecesPasses() throws Exception {
        int port = serve(example("filters/websocket.yaml").replace("serverMaxMsgSize: 32769", "serverMaxMsgSize: -1"));
        Seen fine = new Seen();
        WebSocket pieces = connect(port, fine, null);
        // One message of 30,000 bytes in three frames: under the limit (the echo answers its first frame).
        pieces.sendText("a".repeat(10_000), false).get(5, TimeUnit.SECONDS);
        pieces.sendText("b".repeat(10_000), false).get(5, TimeUnit.SECONDS);
        pieces.sendText("c".repeat(10_000), true).get(5, TimeUnit.SECONDS);
        assertThat(fine.reply.get(5, TimeUnit.SECONDS)).hasSize(10_006).startsWith("echo: aaa");
        assertThat(fine.closed).isNotDone();

        // Two frames of 20,000: each is under the limit, the message they make is not.
        Seen tooBig = new Seen();
        WebSocket big = connect(port, tooBig, null);
        big.sendText("x".repeat(20_000), false).get(5, TimeUnit.SECONDS);
        big.sendText("y".repeat(20_000), true).get(5, TimeUnit.SECONDS);

        assertThat(tooBig.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1009);
    }

    @Test
    void withoutALimitGivenAMessageOf32768BytesPassesAndOneByteMoreClosesWith1009AsInEasegress() throws Exception {
        int port = serve(example("filters/websocket.yaml").replace("        clientMaxMsgSize: 32769\n", "")
                .replace("serverMaxMsgSize: 32769", "serverMaxMsgSize: -1"));
        Seen fits = new Seen();
        WebSocket socket = connect(port, fits, null);
        socket.sendText("a".repeat(32_768), true).get(5, TimeUnit.SECONDS);
        socket.sendText("after", true).get(5, TimeUnit.SECONDS);
        // The echo answers each message's first frame: the second answer comes only if the whole first message passed.
        assertThat(fits.replies.poll(5, TimeUnit.SECONDS)).as("first reply").startsWith("echo: aaa");
        assertThat(fits.replies.poll(5, TimeUnit.SECONDS)).isEqualTo("echo: after");

        Seen over = new Seen();
        connect(port, over, null).sendText("a".repeat(32_769), true).get(5, TimeUnit.SECONDS);
        assertThat(over.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1009);
    }

    @Test
    void aMessageOverTheServerLimitClosesWith1009() throws Exception {
        int port = serve(example("filters/websocket.yaml").replace("clientMaxMsgSize: 32769", "clientMaxMsgSize: -1")
                .replace("serverMaxMsgSize: 32769", "serverMaxMsgSize: 100"));
        Seen seen = new Seen();
        WebSocket socket = connect(port, seen, null);

        // 96 bytes reach the server; its answer, "echo: " and the 96, is 102.
        socket.sendText("z".repeat(96), true).get(5, TimeUnit.SECONDS);

        assertThat(seen.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1009);
        assertThat(seen.reply).isNotCompleted();
    }

    /**
     * The handshake answers of the library Easegress accepts clients with: a plain request 426 (saying what to send),
     * another method 405, another version 400 (saying 13); a foreign origin 403, unless insecureSkipVerify turns the
     * check off; an origin without a host ("null") passes only a "*" pattern.
     */
    @Test
    void aPlainRequestIs426AndAForeignOriginIs403() throws Exception {
        int port = serve(example("filters/websocket.yaml"));

        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ws")).build(),
                HttpResponse.BodyHandlers.ofString());
        Throwable foreign = null;
        try {
            connect(port, new Seen(), "https://evil.test");
        } catch (ExecutionException e) {
            foreign = e.getCause();
        }
        Seen allowed = new Seen();
        WebSocket fromApp = connect(port, allowed, "https://app.example.com");
        fromApp.sendText("hi", true).get(5, TimeUnit.SECONDS);
        String handshake = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        try (io.edgegate.dataplane.server.RawClient client = new io.edgegate.dataplane.server.RawClient(port)) {
            client.write(handshake.replace("GET", "POST") + "Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 405");
        }
        try (io.edgegate.dataplane.server.RawClient client = new io.edgegate.dataplane.server.RawClient(port)) {
            client.write(handshake + "Sec-WebSocket-Version: 8\r\n\r\n");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 400").containsIgnoringCase("sec-websocket-version: 13\r\n");
        }
        try (io.edgegate.dataplane.server.RawClient client = new io.edgegate.dataplane.server.RawClient(port)) {
            client.write(handshake + "Sec-WebSocket-Version: 13\r\nOrigin: null\r\n\r\n");
            assertThat(client.readResponse()).as("no host, no \"*\" pattern").startsWith("HTTP/1.1 403");
        }

        assertThat(plain.statusCode()).isEqualTo(426);
        assertThat(plain.headers().firstValue("Upgrade")).hasValue("websocket");
        assertThat(foreign).isInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) foreign).getResponse().statusCode()).isEqualTo(403);
        assertThat(allowed.reply.get(5, TimeUnit.SECONDS)).isEqualTo("echo: hi");

        int open = serve(example("filters/websocket.yaml").replace("originPatterns: [\"*.example.com\"]", "insecureSkipVerify: true"));
        Seen fromAnywhere = new Seen();
        connect(open, fromAnywhere, "https://evil.test").sendText("hi", true).get(5, TimeUnit.SECONDS);
        assertThat(fromAnywhere.reply.get(5, TimeUnit.SECONDS)).as("insecureSkipVerify: no origin check").isEqualTo("echo: hi");
    }

    /**
     * As Easegress, which dials without compression: a client's permessage-deflate offer is not passed on, so the
     * message limits count what the messages hold, not their compressed frames.
     */
    @Test
    void compressionIsNotOfferedUpstream() throws Exception {
        try (java.net.ServerSocket upstream = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> handshake = CompletableFuture.supplyAsync(() -> {
                try (java.net.Socket accepted = upstream.accept()) {
                    accepted.setSoTimeout(5_000);
                    java.io.InputStream in = accepted.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        int c = in.read();
                        if (c < 0) {
                            break;
                        }
                        head.append((char) c);
                    }
                    return head.toString();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            int port = FreePorts.pick();
            node.apply(server("s", port, "websocket-pipeline"),
                    example("filters/websocket.yaml").replace("ws://127.0.0.1:9095", "ws://127.0.0.1:" + upstream.getLocalPort()));
            try (io.edgegate.dataplane.server.RawClient client = new io.edgegate.dataplane.server.RawClient(port)) {
                client.write("GET /ws HTTP/1.1\r\nHost: a.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n");
                String forwarded = handshake.get(10, TimeUnit.SECONDS).toLowerCase(java.util.Locale.ROOT);
                assertThat(forwarded).contains("upgrade: websocket").doesNotContain("sec-websocket-extensions");
            }
        }
    }
}
