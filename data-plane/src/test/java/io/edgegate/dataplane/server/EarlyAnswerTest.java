package io.edgegate.dataplane.server;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An upstream that answers before the client has sent all of its request body (a 401 to an upload): the client
 * gets the answer, and the upstream connection, whose request was never finished, is closed rather than kept
 * open for ever (neither pooled, as its request is unfinished, nor timed out, as it is still "being sent").
 */
class EarlyAnswerTest {

    private static final String UNAUTHORIZED = "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n";

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private int port;

    @BeforeEach
    void port() {
        port = FreePorts.pick();
    }

    @Test
    void http1UploadAnsweredEarlyClosesItsUpstreamConnection() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", "http://127.0.0.1:" + upstream.getLocalPort()));
            try (RawClient client = new RawClient(port)) {
                client.write("POST /upload HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n");
                try (Socket accepted = upstream.accept()) {
                    answerAfterTheFirstChunk(accepted);
                    assertThat(client.readHead()).startsWith("HTTP/1.1 401");
                    assertThat(closedWithin(accepted, Duration.ofSeconds(5))).as("the upstream connection is closed").isTrue();
                }
            }
        }
    }

    @Test
    void http2UploadAnsweredEarlyClosesItsUpstreamConnection() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", "http://127.0.0.1:" + upstream.getLocalPort()));
            try (RawHttp2Client client = new RawHttp2Client(port, true)) {
                client.frame(RawHttp2Client.HEADERS, RawHttp2Client.END_HEADERS, 1, RawHttp2Client.request("/upload"));
                client.frame(RawHttp2Client.DATA, 0, 1, "0123456789".getBytes(StandardCharsets.US_ASCII));
                try (Socket accepted = upstream.accept()) {
                    answerAfterTheFirstChunk(accepted);
                    await().atMost(Duration.ofSeconds(5)).until(() -> !client.received(RawHttp2Client.HEADERS, 1).isEmpty());
                    assertThat(closedWithin(accepted, Duration.ofSeconds(5))).as("the upstream connection is closed").isTrue();
                }
            }
        }
    }

    /**
     * A stream whose response has begun (a gRPC stream the upstream answers as it goes) is no stalled upload: its client
     * may say nothing for longer than the idle time while the connection carries other frames.
     */
    @Test
    void aStreamWhoseResponseHasBegunOutlivesItsClientsSilence() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            node.apply(server("s", port, "p").replace("xForwardedFor: true", "keepAliveTimeout: 1s"),
                    proxyPipeline("p", "roundRobin", "http://127.0.0.1:" + upstream.getLocalPort()));
            try (RawHttp2Client client = new RawHttp2Client(port, true)) {
                client.frame(RawHttp2Client.HEADERS, RawHttp2Client.END_HEADERS, 1, RawHttp2Client.request("/watch"));
                client.frame(RawHttp2Client.DATA, 0, 1, "0123456789".getBytes(StandardCharsets.US_ASCII));
                try (Socket accepted = upstream.accept()) {
                    answerAfterTheFirstChunk(accepted, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
                    await().atMost(Duration.ofSeconds(5)).until(() -> !client.received(RawHttp2Client.HEADERS, 1).isEmpty());
                    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                    while (System.nanoTime() < until) {
                        client.frame(RawHttp2Client.PING, 0, 0, new byte[8]);
                        Thread.sleep(200); // the traffic itself: a PING every 200 ms, the stream silent
                    }
                    assertThat(client.received(RawHttp2Client.RST_STREAM, 1)).as("three idle times of the client's silence").isEmpty();
                }
            }
        }
    }

    /**
     * A body answered before it was read (a Mock) is read on to its end, so the connection serves the next request; one
     * announcing more than is worth reading for nothing ends its connection once the answer is out.
     */
    @Test
    void anUnwantedBodyIsDrainedWhenSmallAndEndsItsConnectionWhenLarge() throws Exception {
        node.apply(server("s", port, "mocked"), """
                kind: HTTPPipeline
                name: mocked
                filters:
                - name: mock
                  kind: Mock
                  rules:
                  - code: 200
                    body: mocked
                """);
        try (RawClient client = new RawClient(port)) {
            client.write("POST /small HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n0123456789");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 200").endsWith("mocked");
            String rest = "x".repeat(16 * 1024);
            for (int sent = 10; sent < 100_000; sent += rest.length()) {
                client.write(rest.substring(0, Math.min(rest.length(), 100_000 - sent)));
            }
            assertThat(client.get("/next")).as("the same connection, after the body").startsWith("HTTP/1.1 200").endsWith("mocked");
        }
        try (RawClient client = new RawClient(port)) {
            client.write("POST /large HTTP/1.1\r\nHost: a\r\nContent-Length: 3000000\r\n\r\n0123456789");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 200").endsWith("mocked");
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    /** Reads the forwarded head and the first chunk of its body, then answers 401 at once. */
    private static void answerAfterTheFirstChunk(Socket accepted) throws IOException {
        answerAfterTheFirstChunk(accepted, UNAUTHORIZED);
    }

    /** Reads the forwarded head and the first chunk of its body, then writes {@code answer}. */
    private static void answerAfterTheFirstChunk(Socket accepted, String answer) throws IOException {
        accepted.setSoTimeout(5_000);
        InputStream in = accepted.getInputStream();
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains("0123456789")) {
            int c = in.read();
            assertThat(c).as("the request so far: " + seen).isNotNegative();
            seen.append((char) c);
        }
        OutputStream out = accepted.getOutputStream();
        out.write(answer.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static boolean closedWithin(Socket accepted, Duration wait) throws IOException {
        accepted.setSoTimeout((int) wait.toMillis());
        try {
            InputStream in = accepted.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        }
    }
}
