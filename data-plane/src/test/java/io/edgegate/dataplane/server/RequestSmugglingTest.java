package io.edgegate.dataplane.server;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.FreePorts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests framed one way by the proxy and another by the upstream, and answers that would leave a pooled
 * upstream connection or the client's connection out of step: each is refused, reframed or failed, and the
 * request after it arrives whole.
 */
class RequestSmugglingTest {

    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final String NOT_FOUND = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private int port;

    @BeforeEach
    void port() throws Exception {
        port = FreePorts.pick();
    }

    private void serveThrough(RecordingUpstream upstream) throws Exception {
        node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", upstream.url()));
    }

    /** A pipeline whose RequestAdaptor ({@code adaptorFields}: YAML lines indented by two spaces) comes before the Proxy. */
    private void serveAdaptedThrough(RecordingUpstream upstream, String adaptorFields) throws Exception {
        node.apply(server("s", port, "p"), """
                name: p
                kind: HTTPPipeline
                flow:
                - filter: adaptor
                - filter: proxy
                filters:
                - name: adaptor
                  kind: RequestAdaptor
                %s- name: proxy
                  kind: Proxy
                  mainPool:
                    servers:
                    - url: %s
                """.formatted(adaptorFields, upstream.url()));
    }

    private String received(RecordingUpstream upstream) {
        return upstream.received().toLowerCase(Locale.ROOT);
    }

    @Test
    void anUpgradeWithABodyIsForwardedWithItsBodyAsAnOrdinaryRequest() throws Exception {
        // Sent on as an upgrade without its body, an upstream declining the upgrade read the next request's first
        // five bytes as this one's body, on a connection that went back to the pool.
        try (RecordingUpstream upstream = new RecordingUpstream(request -> NOT_FOUND)) {
            serveThrough(upstream);
            try (RawClient client = new RawClient(port)) {
                client.write("GET /first HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: foo\r\nContent-Length: 5\r\n\r\nhello"
                        + "GET /second HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 404");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 404");
            }
            String received = received(upstream);
            int second = received.indexOf("get /second http/1.1\r\n");
            assertThat(second).as(received).isPositive();
            assertThat(received.substring(0, second)).doesNotContain("upgrade").contains("content-length: 5\r\n").endsWith("\r\n\r\nhello");
        }
    }

    @Test
    void anHttp2RequestWithDraft76KeysIsFramedByItsDataNotByAGuessedLength() throws Exception {
        // Netty's HttpUtil gives such a GET a length of 8: sent upstream as Content-Length: 8, the rest of the
        // DATA was a request of its own, past routing and every filter.
        try (RecordingUpstream upstream = new RecordingUpstream()) {
            serveThrough(upstream);
            try (RawHttp2Client client = new RawHttp2Client(port, true)) {
                client.awaitSettingsAcknowledged();
                client.frame(HEADERS, END_HEADERS, 1, RawHttp2Client.request("/ws",
                        RawHttp2Client.literal("sec-websocket-key1", "a"), RawHttp2Client.literal("sec-websocket-key2", "b")));
                client.frame(DATA, END_STREAM, 1,
                        "AAAAAAAAGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                await().atMost(Duration.ofSeconds(5)).until(() -> upstream.received().contains("\r\n0\r\n\r\n"));
            }
            assertThat(received(upstream)).contains("transfer-encoding: chunked\r\n").doesNotContain("content-length");
        }
    }

    @Test
    void anHttp1Draft76HandshakeIsRefusedBeforeTheNextRequestsBytesAreTakenAsItsBody() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream(request -> OK)) {
            serveThrough(upstream);
            try (RawClient client = new RawClient(port)) {
                client.write("GET /ws HTTP/1.1\r\nHost: a\r\nSec-WebSocket-Key1: a\r\nSec-WebSocket-Key2: b\r\n\r\n"
                        + "GET /two HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 400");
                assertThat(client.isClosedByPeer()).isTrue();
            }
            assertThat(upstream.received()).as("bytes forwarded upstream").isEmpty();
        }
    }

    @Test
    void connectIsRefusedWhateverItsTarget() throws Exception {
        // A CONNECT answered 2xx turned its pooled upstream connection into raw bytes: later answers on it were lost.
        try (RecordingUpstream upstream = new RecordingUpstream(request -> OK)) {
            serveThrough(upstream);
            for (String target : new String[] {"/x", "example.com:443"}) {
                try (RawClient client = new RawClient(port)) {
                    client.write("CONNECT " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
                    String answer = client.readResponse();
                    assertThat(answer).as(target).matches("(?s)HTTP/1.1 40[05] .*");
                    assertThat(client.isClosedByPeer()).isTrue();
                }
            }
            assertThat(upstream.received()).as("bytes forwarded upstream").isEmpty();
        }
    }

    @Test
    void aControlCharacterInTheTargetIsRefused() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream(request -> OK)) {
            serveThrough(upstream);
            try (RawClient client = new RawClient(port)) {
                client.write("GET /a\u0001b HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 400");
            }
            assertThat(upstream.received()).as("bytes forwarded upstream").isEmpty();
        }
    }

    @Test
    void anHttp10ClientsExpectContinueIsIgnoredNotRefused() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream(request -> OK)) {
            serveThrough(upstream);
            try (RawClient client = new RawClient(port)) {
                client.write("POST /e HTTP/1.0\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
                assertThat(client.readResponse()).matches("(?s)HTTP/1.. 200 .*ok");
            }
            try (RawClient client = new RawClient(port)) {
                client.write("POST /e HTTP/1.0\r\nHost: a\r\nExpect: something-else\r\nContent-Length: 5\r\n\r\nhello");
                assertThat(client.readResponse()).matches("(?s)HTTP/1.. 417 .*");
            }
        }
    }

    @Test
    void aSwitchOfProtocolsNobodyAskedForIsA502() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream(
                request -> "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: foo\r\n\r\n")) {
            serveThrough(upstream);
            try (RawClient client = new RawClient(port)) {
                assertThat(client.get("/plain")).startsWith("HTTP/1.1 502");
            }
        }
    }

    @Test
    void anUpstreamBodyCodedOtherwiseThanChunkedIsA502() throws Exception {
        // De-chunked, "gzip, chunked" went on as a gzip body that said nothing of its coding.
        try (RecordingUpstream upstream = new RecordingUpstream(
                request -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")) {
            serveThrough(upstream);
            try (RawClient client = new RawClient(port)) {
                assertThat(client.get("/coded")).startsWith("HTTP/1.1 502");
            }
        }
    }

    @Test
    void headersTheClientNamesInConnectionDoNotTakeAFiltersHeaderWithThem() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream(request -> OK)) {
            serveAdaptedThrough(upstream, """
                      header:
                        set:
                          X-User: from-the-filter
                    """);
            try (RawClient client = new RawClient(port)) {
                client.write("GET /who HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-User, X-Hop\r\nX-Hop: 1\r\nX-User: mallory\r\n\r\n");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 200");
            }
            assertThat(received(upstream)).contains("x-user: from-the-filter\r\n").doesNotContain("x-hop").doesNotContain("mallory");
        }
    }

    @Test
    void bytesAnUpstreamSentBeyondItsAnswerDoNotBecomeTheNextRequestsAnswer() throws Exception {
        // Taken for the start of the next answer on a pooled connection, they made another client's answer a redirect.
        String poisoned = OK + "HTTP/1.1 302 Found\r\nLocation: https://evil.example/\r\nX-Junk: ";
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        try (RecordingUpstream upstream = new RecordingUpstream(request -> answered.getAndIncrement() == 0 ? poisoned : OK)) {
            serveThrough(upstream);
            // One client connection: upstream connections are pooled per event loop.
            try (RawClient client = new RawClient(port)) {
                assertThat(client.get("/first")).startsWith("HTTP/1.1 200").endsWith("ok");
                assertThat(client.get("/second")).startsWith("HTTP/1.1 200").doesNotContain("evil");
            }
        }
    }

    @Test
    void wholeLinesAnUpstreamSendsWhileItsConnectionWaitsInThePoolEndItsUse() throws Exception {
        // Taken into the head of a next answer, they left no unread byte behind, and the next request got a 502.
        String late = "HTTP/1.1 302 Found\r\nLocation: https://evil.example/\r\n";
        java.util.concurrent.CopyOnWriteArrayList<java.io.OutputStream> connections = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RecordingUpstream upstream = new RecordingUpstream(request -> OK, connections::add)) {
            serveThrough(upstream);
            try (RawClient client = new RawClient(port)) {
                client.write("POST /first HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 200");
                // The answer is whole and its connection pooled when the server sends more on it.
                for (java.io.OutputStream connection : connections) {
                    connection.write(late.getBytes(StandardCharsets.ISO_8859_1));
                    connection.flush();
                }
                Thread.sleep(200); // nothing to await: the stray lines change nothing a client can see until the next request
                client.write("POST /second HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 200").doesNotContain("evil");
            }
        }
    }

    @Test
    void theBodyOfAnAnswerToHeadIsNotReadAsTheNextAnswer() throws Exception {
        String headAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nHello world!";
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        try (RecordingUpstream upstream = new RecordingUpstream(request -> answered.getAndIncrement() == 0 ? headAnswer : OK)) {
            serveThrough(upstream);
            try (RawClient client = new RawClient(port)) {
                client.write("HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.readHead()).startsWith("HTTP/1.1 200");
                client.write("POST /next HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 200").endsWith("ok");
            }
        }
    }

    @Test
    void aGetSentUpstreamAsHeadIsNotAnsweredAsAHead() throws Exception {
        // Framed as a HEAD's, the answer's Content-Length promised a body that never came: the client read the next
        // answer as that body.
        try (RecordingUpstream upstream = new RecordingUpstream(request -> "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")) {
            serveAdaptedThrough(upstream, """
                      method: HEAD
                    """);
            try (RawClient client = new RawClient(port)) {
                client.write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.readHead()).startsWith("HTTP/1.1 200");
                client.write("GET /y HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.isClosedByPeer()).as("the promised body cannot come: the connection ends").isTrue();
            }
            assertThat(received(upstream)).startsWith("head /x ");
        }
    }

    @Test
    void aPostIsNotSentAgainWhenItsPooledConnectionDiesUnderIt() throws Exception {
        // The server read it before closing: sent again, it would be acted on twice. A GET is sent again.
        try (RecordingUpstream upstream = new RecordingUpstream(request -> request == 0 ? OK : null)) {
            serveThrough(upstream);
            try (RawClient client = new RawClient(port)) {
                assertThat(client.get("/warm")).startsWith("HTTP/1.1 200");
                client.write("POST /order HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 502");
                assertThat(client.get("/warm-again")).startsWith("HTTP/1.1 200");
                assertThat(client.get("/read")).startsWith("HTTP/1.1 200");
            }
            String received = received(upstream);
            assertThat(received.split("post /order ", -1)).as(received).hasSize(2);
            assertThat(received.split("get /read ", -1)).as("a GET is sent again on a new connection").hasSize(3);
        }
    }
}
