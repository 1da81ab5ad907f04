package io.edgegate.dataplane.server;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.runtime.ConfigRejectedException;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.lang.ref.WeakReference;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpServerTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static EchoBackend a;
    private static EchoBackend b;

    @BeforeAll
    static void backends() {
        a = EchoBackend.start("a");
        b = EchoBackend.start("b");
    }

    @AfterAll
    static void stopBackends() {
        a.close();
        b.close();
    }

    @Test
    void unmatchedIs404MethodMismatchIs405MissingPipelineIs503() throws Exception {
        int port = FreePorts.pick();
        String routes = """
                kind: HTTPServer
                name: s
                port: %d
                rules:
                - paths:
                  - path: /only-post
                    methods: [POST]
                    backend: p
                  - pathPrefix: /ghost
                    backend: missing
                """.formatted(port);
        node.apply(routes, proxyPipeline("p", "roundRobin", a.url()));

        assertThat(node.get(port, "/nothing").statusCode()).isEqualTo(404);
        assertThat(node.get(port, "/only-post").statusCode()).isEqualTo(405);
        assertThat(node.get(port, "/ghost").statusCode()).isEqualTo(503);
    }

    /**
     * RFC 9110 §6.6.1, as NGINX and Go's server (Easegress) do: every answer carries a Date — the node's own
     * answers, refusals and answers that came without one — and one an upstream sent passes unchanged.
     */
    @Test
    void answersCarryADateAndAnUpstreamsOwnIsKept() throws Exception {
        int port = FreePorts.pick();
        String routes = """
                kind: HTTPServer
                name: s
                port: %d
                rules:
                - paths:
                  - pathPrefix: /
                    backend: answers
                """.formatted(port);
        String answers = """
                kind: HTTPPipeline
                name: answers
                filters:
                - name: mock
                  kind: Mock
                  rules:
                  - match: {path: /dated}
                    code: 200
                    headers: {Date: "Sun, 06 Nov 1994 08:49:37 GMT"}
                    body: dated
                  - match: {pathPrefix: /}
                    code: 200
                    body: undated
                """;
        node.apply(routes, answers);
        java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

        var undated = node.get(port, "/plain");
        var dated = node.get(port, "/dated");

        java.time.Instant after = java.time.Instant.now();
        assertThat(undated.body()).isEqualTo("undated");
        java.time.Instant stamped = java.time.ZonedDateTime.parse(undated.headers().firstValue("date").orElseThrow(),
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(stamped).isBetween(before, after);
        assertThat(dated.headers().allValues("date")).containsExactly("Sun, 06 Nov 1994 08:49:37 GMT");
        try (RawClient client = new RawClient(port)) {
            client.write("GET /x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 400").containsPattern("(?i)\r\ndate: \\w{3}, \\d{2} ");
        }
    }

    /**
     * A listener kept across applies holds no earlier generation: the one it was bound with (its
     * pipelines, response caches, TLS context) is collected once the next config serves.
     */
    @Test
    void aKeptListenerLetsTheConfigItWasBoundWithGo() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("kept", port, "first"), proxyPipeline("first", "roundRobin", a.url()));
        assertThat(node.get(port, "/").statusCode()).isEqualTo(200);
        WeakReference<ServerState> bound = new WeakReference<>(node.runtime().serverAt(new InetSocketAddress("127.0.0.1", port)));
        assertThat(bound.get()).isNotNull();

        node.apply(server("kept", port, "second"), proxyPipeline("second", "random", a.url()));
        assertThat(node.get(port, "/").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return bound.get() == null;
        });
    }

    @Test
    void rewritesHeaderConditionsAndPathBodyLimitsReachTheWire() throws Exception {
        int port = FreePorts.pick();
        String routes = """
                kind: HTTPServer
                name: s
                port: %d
                rules:
                - paths:
                  - pathRegexp: '^/legacy/(?P<id>[0-9]+)$'
                    rewriteTarget: /items/${id}
                    backend: p
                  - pathPrefix: /beta/
                    headers: [{key: X-Beta, values: ['yes']}]
                    rewriteTarget: /
                    backend: p
                  - pathPrefix: /small
                    clientMaxBodySize: 8
                    backend: p
                """.formatted(port);
        node.apply(routes, proxyPipeline("p", "roundRobin", a.url()));

        assertThat(node.get(port, "/legacy/42?full=1").statusCode()).isEqualTo(200);
        assertThat(a.received().get(a.received().size() - 1).uri()).isEqualTo("/items/42?full=1");
        var beta = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/beta/x"))
                .header("X-Beta", "yes").build();
        assertThat(node.send(beta).statusCode()).isEqualTo(200);
        assertThat(a.received().get(a.received().size() - 1).uri()).isEqualTo("/x");
        int before = a.received().size();
        assertThat(node.get(port, "/beta/x").statusCode()).isEqualTo(400);
        var big = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/small"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("more than eight bytes")).build();
        assertThat(node.send(big).statusCode()).isEqualTo(413);
        assertThat(a.received()).hasSize(before);
    }

    @Test
    void aHotUpdateKeepsTheListenerAndOpenConnections() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", a.url()));
        try (RawClient client = new RawClient(port)) {
            assertThat(client.get("/")).contains("X-Echo-Backend: a");

            node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", b.url()));

            // Same TCP connection, served by the new pipeline.
            assertThat(client.get("/")).contains("X-Echo-Backend: b");
        }
    }

    @Test
    void aRequestInFlightFinishesOnThePipelineItStartedOn() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", a.url()));
        try (RawClient slow = new RawClient(port)) {
            slow.write("GET /slow?delay=700 HTTP/1.1\r\nHost: test\r\n\r\n");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2))
                    .until(() -> a.received().stream().anyMatch(r -> r.uri().startsWith("/slow")));

            node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", b.url()));

            assertThat(slow.readResponse()).startsWith("HTTP/1.1 200").contains("X-Echo-Backend: a");
            assertThat(slow.get("/after")).contains("X-Echo-Backend: b");
        }
    }

    @Test
    void aPortClashIsRejectedAndTheOldConfigKeepsServing() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", a.url()));
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            String second = server("t", taken.getLocalPort(), "p");

            assertThatThrownBy(() -> node.apply(server("s", port, "p"), second, proxyPipeline("p", "roundRobin", b.url())))
                    .isInstanceOf(ConfigRejectedException.class)
                    .hasMessageContaining("HTTPServer t cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(node.get(port, "/").headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("a");

        assertThatThrownBy(() -> node.apply(server("s", port, "p"), server("t", port, "p"), proxyPipeline("p", "roundRobin", a.url())))
                .hasMessageContaining("HTTPServer t and HTTPServer s both listen on 127.0.0.1:" + port);
    }

    @Test
    void removingAServerClosesItsPort() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", a.url()));
        assertThat(node.get(port, "/").statusCode()).isEqualTo(200);

        node.apply(proxyPipeline("p", "roundRobin", a.url()));

        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aConnectionThatSentNothingYetIsClosedWithItsServer() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", a.url()));
        try (RawClient early = new RawClient(port)) {
            // Connected, no byte sent: no protocol chosen yet when the server goes away.
            await().atMost(Duration.ofSeconds(5)).until(() -> node.serverMetric("edgegate_http_connections_active", "s") == 1);

            node.apply(proxyPipeline("p", "roundRobin", a.url()));

            assertThat(early.isClosedByPeer()).as("served by a deleted server otherwise").isTrue();
        }
    }

    @Test
    void aBodyStillComingAfterAnEarlyAnswerIsWaitedForOnlyTheIdleTime() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "p").replace("xForwardedFor: true", "keepAliveTimeout: 1s\nclientMaxBodySize: -1")
                .replace("pathPrefix: /", "pathPrefix: /api/"), proxyPipeline("p", "roundRobin", a.url()));
        try (RawClient stalled = new RawClient(port)) {
            // No route for this path: answered at once, while the client has sent 10 of its 10,000 bytes.
            stalled.write("POST /no-route HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n0123456789");
            assertThat(stalled.readResponse()).startsWith("HTTP/1.1 404");

            assertThat(stalled.isClosedByPeer()).as("closed after the 1 s idle time, within the client's 5 s read timeout").isTrue();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", a.url()));
        try (RawClient client = new RawClient(port)) {
            client.write("GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\nGET /three HTTP/1.1\r\nHost: x\r\n\r\n");
            String first = client.readResponse();
            String second = client.readResponse();
            String third = client.readResponse();
            assertThat(first).contains("GET /one");
            assertThat(second).contains("GET /two");
            assertThat(third).contains("GET /three");
        }
    }

    @Test
    void malformedRequestsGet400AndNeverReachTheUpstream() throws Exception {
        int port = FreePorts.pick();
        EchoBackend guarded = EchoBackend.start("guarded");
        try {
            node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", guarded.url()));
            try (RawClient client = new RawClient(port)) {
                client.write("GET /x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 400");
                assertThat(client.isClosedByPeer()).isTrue();
            }
            assertThat(guarded.requestCount()).isZero();
        } finally {
            guarded.close();
        }
    }

    @Test
    void bodiesOverClientMaxBodySizeGet413() throws Exception {
        int port = FreePorts.pick();
        String small = server("s", port, "p").replace("xForwardedFor: true", "clientMaxBodySize: 16");
        node.apply(small, proxyPipeline("p", "roundRobin", a.url()));
        try (RawClient client = new RawClient(port)) {
            client.write("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 32\r\n\r\n" + "y".repeat(32));
            assertThat(client.readResponse()).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void keepAliveFalseClosesAfterEachResponse() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "p").replace("xForwardedFor: true", "keepAlive: false"),
                proxyPipeline("p", "roundRobin", a.url()));
        try (RawClient client = new RawClient(port)) {
            assertThat(client.get("/")).contains("connection: close");
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    /**
     * As Easegress's limited listener and NGINX: a connection over maxConnections is not refused, it waits
     * unread until one closes (or until a config raises the limit), and is then served.
     */
    @Test
    void aConnectionOverMaxConnectionsWaitsUntilOneCloses() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "p").replace("xForwardedFor: true", "maxConnections: 1"),
                proxyPipeline("p", "roundRobin", a.url()));
        RawClient first = new RawClient(port);
        // Served first, so it holds the only slot before the second connection arrives.
        assertThat(first.get("/")).startsWith("HTTP/1.1 200");
        try (RawClient second = new RawClient(port)) {
            second.write("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(second.silentFor(500)).as("waits while the first is open").isTrue();
            assertThat(first.get("/")).startsWith("HTTP/1.1 200");
            first.close();
            assertThat(second.readResponse()).startsWith("HTTP/1.1 200");

            try (RawClient third = new RawClient(port)) {
                third.write("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
                assertThat(third.silentFor(500)).as("waits while the second is open").isTrue();
                node.apply(server("s", port, "p").replace("xForwardedFor: true", "maxConnections: 2"),
                        proxyPipeline("p", "roundRobin", a.url()));
                assertThat(third.readResponse()).as("let in by the raised limit").startsWith("HTTP/1.1 200");
            }
            assertThat(second.get("/")).startsWith("HTTP/1.1 200");
        }
    }
}
