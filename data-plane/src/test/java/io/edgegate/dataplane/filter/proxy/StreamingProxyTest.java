package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.server.RawClient;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.StreamingBackend;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bodies stream through the proxy both ways; limits, 100-continue and WebSocket work on the streamed path. */
class StreamingProxyTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static StreamingBackend streaming;
    private static EchoBackend echo;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void backends() {
        streaming = StreamingBackend.start();
        echo = EchoBackend.start("echo");
    }

    @AfterAll
    static void stop() {
        streaming.close();
        echo.close();
    }

    private static int serve(String upstream, String serverTweak) throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "p").replace("xForwardedFor: true", serverTweak), proxyPipeline("p", "roundRobin", upstream));
        return port;
    }

    /**
     * A positive serverMaxBodySize, as Easegress: an answer over it is refused with 500 whether its length is
     * announced or not (one without a length is read whole first, and then carries a Content-Length); a pool's
     * own limit comes before the Proxy's.
     */
    @Test
    void aPositiveServerMaxBodySizeRefusesLargerAnswers() throws Exception {
        int port = FreePorts.pick();
        String pipeline = """
                name: p
                kind: Pipeline
                filters:
                - name: proxy
                  kind: Proxy
                  serverMaxBodySize: 100000
                  pools:
                  - servers:
                    - url: %s
                    serverMaxBodySize: %d
                """;
        node.apply(server("s", port, "p"), pipeline.formatted(streaming.url(), 0));

        for (String query : new String[] {"", "?chunked"}) {
            HttpResponse<byte[]> small = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/bytes/50000" + query))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(small.statusCode()).isEqualTo(200);
            assertThat(small.headers().firstValue("content-length")).as("read whole" + query).hasValue("50000");
            assertThat(small.body()).hasSize(50000);
            assertThat(small.body()[49999]).isEqualTo(StreamingBackend.byteAt(49999));

            HttpResponse<String> large = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/bytes/200000" + query))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(large.statusCode()).as("over the limit" + query).isEqualTo(500);
            assertThat(large.body()).contains("serverMaxBodySize");
        }

        node.apply(server("s", port, "p"), pipeline.formatted(streaming.url(), 300000));
        HttpResponse<byte[]> allowed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/bytes/200000?chunked"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(allowed.statusCode()).as("the pool's own limit").isEqualTo(200);
        assertThat(allowed.body()).hasSize(200000);
    }

    @Test
    void largeBodiesStreamBothWaysIntact() throws Exception {
        int port = serve(streaming.url(), "clientMaxBodySize: -1");
        long size = 64L * 1024 * 1024 + 12345;

        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sink"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> generated(size))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(200);
        assertThat(upload.body().trim()).isEqualTo("bytes=" + size + " crc32=" + Long.toHexString(crc(size)));

        for (String variant : new String[] {"", "?chunked"}) {
            HttpResponse<InputStream> download = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/bytes/" + size + variant)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(checkGenerated(download.body())).as("download" + variant).isEqualTo(size);
        }
    }

    @Test
    void bodiesOverTheLimitAre413WhetherAnnouncedOrStreamed() throws Exception {
        int port = serve(streaming.url(), "clientMaxBodySize: 1000");
        try (RawClient client = new RawClient(port)) {
            client.write("POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 413");
            assertThat(client.isClosedByPeer()).isTrue();
        }
        try (RawClient client = new RawClient(port)) {
            client.write("POST /sink HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "400\r\n" + "a".repeat(1024) + "\r\n400\r\n" + "b".repeat(1024) + "\r\n0\r\n\r\n");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 413");
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void expectContinueIsAnsweredWhenTheBodyIsWanted() throws Exception {
        int port = serve(streaming.url(), "keepAlive: true");
        try (RawClient client = new RawClient(port)) {
            client.write("POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 100 Continue");
            client.write("hello");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 200").contains("bytes=5");
        }
    }

    @Test
    void interimAnswersOfTheUpstreamAreDroppedAndTheFinalOneServesItsOwnRequest() throws Exception {
        try (InterimUpstream upstream = new InterimUpstream()) {
            int port = serve(upstream.url(), "keepAlive: true");
            try (RawClient client = new RawClient(port)) {
                for (String path : new String[] {"/first", "/second", "/third"}) {
                    client.write("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                    String response = client.readResponse();
                    assertThat(response).as(path).startsWith("HTTP/1.1 200").endsWith("answer to " + path)
                            .doesNotContain("Early Hints").doesNotContain("Link:");
                }
            }
        }
    }

    @Test
    void webSocketsAreProxiedBothWays() throws Exception {
        int port = serve(streaming.url(), "keepAlive: true");
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                reply.complete(data.toString());
                return null;
            }
        }).get(5, TimeUnit.SECONDS);

        socket.sendText("hello through the proxy", true).get(5, TimeUnit.SECONDS);

        assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("echo: hello through the proxy");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }

    @Test
    void upstreamsSeeWhoAskedAndClientsNeverSeeTheUpstreamAddress() throws Exception {
        int port = serve(echo.url(), "xForwardedFor: true");
        HttpResponse<String> redirected = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/old?redirect=/new")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(redirected.statusCode()).isEqualTo(302);
        assertThat(redirected.headers().firstValue("Location")).hasValue("http://127.0.0.1:" + port + "/new");
        EchoBackend.ReceivedRequest seen = echo.received().get(echo.received().size() - 1);
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + port);
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.header("Forwarded")).isEqualTo("for=127.0.0.1;host=\"127.0.0.1:" + port + "\";proto=http");
    }

    /** Answers each request with a 102 and a 103 before its 200, on one keep-alive connection. */
    private static final class InterimUpstream implements AutoCloseable {
        private final java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());

        InterimUpstream() throws java.io.IOException {
            Thread acceptor = new Thread(this::serve, "interim-upstream");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (java.net.Socket socket = server.accept()) {
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                            java.nio.charset.StandardCharsets.ISO_8859_1));
                    var out = socket.getOutputStream();
                    String requestLine;
                    while ((requestLine = in.readLine()) != null) {
                        String header;
                        while ((header = in.readLine()) != null && !header.isEmpty()) {
                            // the request's headers
                        }
                        String body = "answer to " + requestLine.split(" ")[1];
                        out.write(("HTTP/1.1 102 Processing\r\n\r\n"
                                + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n").getBytes());
                        out.flush();
                        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes());
                        out.flush();
                    }
                } catch (java.io.IOException closed) {
                    // the proxy closed the connection, or this upstream is closing
                }
            }
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
        }
    }

    private static InputStream generated(long size) {
        return new InputStream() {
            private long at;

            @Override
            public int read() {
                return at < size ? StreamingBackend.byteAt(at++) & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - at);
                for (int i = 0; i < n; i++) {
                    b[off + i] = StreamingBackend.byteAt(at++);
                }
                return n;
            }
        };
    }

    private static long crc(long size) throws Exception {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[65536];
        try (InputStream in = generated(size)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }

    /** Reads a download and checks every byte against the generator; returns how many bytes came. */
    static long checkGenerated(InputStream in) throws Exception {
        byte[] buffer = new byte[65536];
        long at = 0;
        int n;
        try (in) {
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != StreamingBackend.byteAt(at + i)) {
                        throw new AssertionError("wrong byte at " + (at + i));
                    }
                }
                at += n;
            }
        }
        return at;
    }
}
