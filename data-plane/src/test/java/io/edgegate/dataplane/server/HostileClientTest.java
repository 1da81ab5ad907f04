package io.edgegate.dataplane.server;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Malformed, ambiguous and slow requests are answered and closed; none of them reaches the upstream. */
class HostileClientTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static EchoBackend upstream;
    private int port;

    @BeforeAll
    static void backend() {
        upstream = EchoBackend.start("guarded");
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void serve() throws Exception {
        port = FreePorts.pick();
        node.apply(server("s", port, "p").replace("xForwardedFor: true", "readHeaderTimeout: 1s\nkeepAliveTimeout: 1s"),
                proxyPipeline("p", "roundRobin", upstream.url()));
    }

    private void assertRefused(String request, String status) throws Exception {
        int before = upstream.requestCount();
        try (RawClient client = new RawClient(port)) {
            client.write(request);
            assertThat(client.readResponse()).startsWith("HTTP/1.1 " + status);
            assertThat(client.isClosedByPeer()).isTrue();
        }
        assertThat(upstream.requestCount()).as("requests that reached the upstream").isEqualTo(before);
    }

    @Test
    void contentLengthWithTransferEncodingIsRefused() throws Exception {
        assertRefused("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "400");
    }

    @Test
    void duplicateContentLengthsAreRefused() throws Exception {
        assertRefused("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 6\r\n\r\nabcdef", "400");
        assertRefused("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 4, 6\r\n\r\nabcdef", "400");
    }

    @Test
    void unknownTransferEncodingsAreRefused() throws Exception {
        assertRefused("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "400");
    }

    @Test
    void oversizedHeadsAreRefused() throws Exception {
        assertRefused("GET /x HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", "431");
        StringBuilder many = new StringBuilder("GET /x HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 150; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        assertRefused(many + "\r\n", "431");
        assertRefused("GET /" + "p".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414");
    }

    @Test
    void http11WithoutHostIsRefused() throws Exception {
        assertRefused("GET /x HTTP/1.1\r\nAccept: */*\r\n\r\n", "400");
    }

    @Test
    void aClientSendingItsHeadTooSlowlyGets408AndIsClosed() throws Exception {
        long logged = node.accessLog().written();
        try (RawClient client = new RawClient(port)) {
            client.write("GET /x HTTP/1.1\r\nHost: x\r\n");
            // No blank line: the head never completes. readHeaderTimeout is 1 s.
            assertThat(client.readResponse()).startsWith("HTTP/1.1 408");
            assertThat(client.isClosedByPeer()).isTrue();
        }
        assertThat(upstream.received()).noneMatch(r -> r.uri().equals("/x") && r.header("X-Slow") != null);
        // Logged and counted as NGINX logs its 408s: with no request line.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> node.accessLog().written() > logged);
        assertThat(java.nio.file.Files.readAllLines(node.accessLogFile())).anySatisfy(line ->
                assertThat(line).contains("\"status\":408").contains("\"method\":\"-\""));
        assertThat(node.scrape()).contains("code=\"408\"");
    }

    @Test
    void anHttp2ConnectionIsNotCutOffByTheHeaderTimeoutOfItsFirstBytes() throws Exception {
        // h2c with prior knowledge: the preface passes the header clock before the protocol is known. A request
        // every 200 ms keeps the connection busy past readHeaderTimeout (1 s) and keepAliveTimeout (1 s).
        try (RawHttp2Client client = new RawHttp2Client(port, true)) {
            for (int stream = 1; stream <= 25; stream += 2) {
                int id = stream;
                client.frame(RawHttp2Client.HEADERS, RawHttp2Client.END_HEADERS | RawHttp2Client.END_STREAM, id,
                        RawHttp2Client.request("/x"));
                await().atMost(Duration.ofSeconds(2)).until(() -> !client.received(RawHttp2Client.HEADERS, id).isEmpty());
                Thread.sleep(200);
            }
            assertThat(client.closedByServerWithin(0)).as("closed by the server").isFalse();
        }
    }

    @Test
    void aClientThatStopsSendingItsBodyIsClosed() throws Exception {
        try (RawClient client = new RawClient(port)) {
            client.write("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part of it");
            // keepAliveTimeout is 1 s: the stalled upload is dropped rather than held forever.
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void aClientThatNeverSpeaksIsClosed() throws Exception {
        try (RawClient client = new RawClient(port)) {
            // Not a byte sent: keepAliveTimeout (1 s) closes it before any protocol was chosen.
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void twoHostLinesOrAHostThatIsNotAnAuthorityAreRefused() throws Exception {
        assertRefused("GET /s HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n", "400");
        assertRefused("GET /s HTTP/1.1\r\nHost: a.example\r\nHost: a.example\r\n\r\n", "400");
        for (String host : new String[] {"evil.example/x", "user@evil.example", "a.example:99999", "a.example:80x",
                                         "[::1", "[zz::1]:80", "a b"}) {
            assertRefused("GET /s HTTP/1.1\r\nHost: " + host + "\r\n\r\n", "400");
        }
    }

    @Test
    void validHostsAreServed() throws Exception {
        for (String host : new String[] {"a.example", "a.example:8080", "127.0.0.1:80", "[::1]:8080", "xn--bcher-kva.example", ""}) {
            try (RawClient client = new RawClient(port)) {
                client.write("GET /fine HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                assertThat(client.readResponse()).as(host).startsWith("HTTP/1.1 200");
            }
        }
    }

    /** Sends {@code request} to a pipeline whose upstream records bytes: 400, closed, and not one byte forwarded. */
    private void assertRefusedBeforeForwarding(String request) throws Exception {
        try (RecordingUpstream recording = new RecordingUpstream()) {
            node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", recording.url()));
            try (RawClient client = new RawClient(port)) {
                client.write(request);
                // The connection ends after the answer, and the answer says so.
                assertThat(client.readResponse()).startsWith("HTTP/1.1 400").containsIgnoringCase("connection: close\r\n");
                assertThat(client.isClosedByPeer()).isTrue();
            }
            assertThat(recording.received()).as("bytes forwarded upstream").isEmpty();
        }
    }

    @Test
    void chunkedBodiesWithBrokenFramingAreRefusedAndNothingIsForwarded() throws Exception {
        String head = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertRefusedBeforeForwarding(head + "zz\r\nhello\r\n0\r\n\r\n");
        assertRefusedBeforeForwarding(head + "7fffffffffffffff\r\nhello\r\n0\r\n\r\n");
        assertRefusedBeforeForwarding(head + "1" + "0".repeat(23) + "5\r\nhello\r\n0\r\n\r\n");
        assertRefusedBeforeForwarding(head + "5;ext=" + "x".repeat(1024 * 1024) + "\r\nhello\r\n0\r\n\r\n");
        assertRefusedBeforeForwarding(head + "5\r\nhelloXX0\r\n\r\n");
    }

    @Test
    void aRequestWithoutABodyIsForwardedWithoutOne() throws Exception {
        // RFC 9112 §6.3: neither Content-Length nor Transfer-Encoding means no body; none is invented upstream.
        try (RecordingUpstream recording = new RecordingUpstream()) {
            node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", recording.url()));
            try (RawClient client = new RawClient(port)) {
                client.write("GET /no-body HTTP/1.1\r\nHost: x\r\n\r\n");
                await().atMost(Duration.ofSeconds(5)).until(() -> recording.received().contains("\r\n\r\n"));
            }
            String head = recording.received().toLowerCase(java.util.Locale.ROOT);
            assertThat(head).startsWith("get /no-body http/1.1\r\n").doesNotContain("transfer-encoding");
            assertThat(head).endsWith("\r\n\r\n");
        }
    }

    @Test
    void framingBrokenMidStreamClosesTheUpstreamConnectionAndTheClientGets400OrAClose() throws Exception {
        try (RecordingUpstream recording = new RecordingUpstream()) {
            node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", recording.url()));
            try (RawClient client = new RawClient(port)) {
                client.write("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
                await().atMost(Duration.ofSeconds(5)).until(() -> recording.received().contains("hello"));

                client.write("zz\r\nworld\r\n0\r\n\r\n");

                await().atMost(Duration.ofSeconds(5)).until(() -> recording.closedByPeer() == 1);
                String answer;
                try {
                    answer = client.readResponse();
                } catch (java.io.IOException closed) {
                    answer = "closed";
                }
                assertThat(answer).matches("(?s)(HTTP/1.1 400 .*|closed)");
                assertThat(client.isClosedByPeer()).isTrue();
            }
            assertThat(recording.received()).doesNotContain("world");
        }
    }

    @Test
    void anAbsoluteFormTargetsAuthorityWinsOverTheHostHeader() throws Exception {
        try (RawClient client = new RawClient(port)) {
            client.write("GET http://other.example/p?q=1 HTTP/1.1\r\nHost: us.example\r\n\r\n");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 200");
        }
        EchoBackend.ReceivedRequest forwarded = upstream.received().get(upstream.received().size() - 1);
        assertThat(forwarded.uri()).isEqualTo("/p?q=1");
        assertThat(forwarded.header("X-Forwarded-Host")).isEqualTo("other.example");

        // Routing goes by the same authority: a rule for us.example does not take a request for other.example.
        node.apply(server("s", port, "p").replace("rules:\n- paths:", "rules:\n- host: us.example\n  paths:"),
                proxyPipeline("p", "roundRobin", upstream.url()));
        int before = upstream.requestCount();
        try (RawClient client = new RawClient(port)) {
            client.write("GET http://other.example/p HTTP/1.1\r\nHost: us.example\r\n\r\n");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 404");
            assertThat(upstream.requestCount()).isEqualTo(before);
            client.write("GET /p HTTP/1.1\r\nHost: us.example\r\n\r\n");
            assertThat(client.readResponse()).as("the same Host in origin form").startsWith("HTTP/1.1 200");
        }
        assertRefused("GET http://user@other.example/p HTTP/1.1\r\nHost: us.example\r\n\r\n", "400");
        assertRefused("GET ftp://other.example/p HTTP/1.1\r\nHost: us.example\r\n\r\n", "400");
        assertRefused("GET p HTTP/1.1\r\nHost: us.example\r\n\r\n", "400");
    }

    private static io.netty.handler.codec.http2.Http2Headers h2(String... pairs) {
        var headers = new io.netty.handler.codec.http2.DefaultHttp2Headers(false);
        headers.method("GET").scheme("http").path("/h2");
        for (int i = 0; i < pairs.length; i += 2) {
            headers.add(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    @Test
    void http2RequestsWithDuplicateOrConflictingAuthoritiesAreRefused() throws Exception {
        try (Http2TestClient client = new Http2TestClient(port)) {
            assertThat(client.request(h2(":authority", "a.example"))).isEqualTo("status 200");
            assertThat(client.request(h2(":authority", "a.example", "host", "a.example"))).as("the same twice").isEqualTo("status 200");
            int before = upstream.requestCount();
            // RFC 9113 §8.1.1: malformed; answered 400 (or reset with PROTOCOL_ERROR where the codec refuses it first).
            String refused = "status 400|reset PROTOCOL_ERROR";
            assertThat(client.request(h2(":authority", "a.example", ":authority", "b.example"))).matches(refused);
            assertThat(client.request(h2(":authority", "a.example", "host", "b.example"))).matches(refused);
            assertThat(client.request(h2("host", "a.example", "host", "b.example"))).matches(refused);
            assertThat(client.request(h2(":authority", "user@a.example"))).matches(refused);
            assertThat(client.request(h2(":authority", "a.example/x"))).matches(refused);
            // Admission is the same as HTTP/1.1's: an expectation other than 100-continue is 417.
            assertThat(client.request(h2(":authority", "a.example", "expect", "the-unexpected"))).isEqualTo("status 417");
            assertThat(upstream.requestCount()).as("refused requests that reached the upstream").isEqualTo(before);
            assertThat(client.request(h2(":authority", "a.example")))
                    .as("the connection serves on after refused streams").isEqualTo("status 200");
        }
    }

    @Test
    void aWellFormedRequestStillGoesThrough() throws Exception {
        try (RawClient client = new RawClient(port)) {
            assertThat(client.get("/fine")).startsWith("HTTP/1.1 200");
        }
    }
}
