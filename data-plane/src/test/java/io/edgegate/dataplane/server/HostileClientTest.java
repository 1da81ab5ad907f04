package io.edgegate.dataplane.server;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
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
        try (RawClient client = new RawClient(port)) {
            client.write("GET /x HTTP/1.1\r\nHost: x\r\n");
            // No blank line: the head never completes. readHeaderTimeout is 1 s.
            assertThat(client.readResponse()).startsWith("HTTP/1.1 408");
            assertThat(client.isClosedByPeer()).isTrue();
        }
        assertThat(upstream.received()).noneMatch(r -> r.uri().equals("/x") && r.header("X-Slow") != null);
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
    void aWellFormedRequestStillGoesThrough() throws Exception {
        try (RawClient client = new RawClient(port)) {
            assertThat(client.get("/fine")).startsWith("HTTP/1.1 200");
        }
    }
}
