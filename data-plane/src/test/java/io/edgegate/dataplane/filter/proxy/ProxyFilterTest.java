package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProxyFilterTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static EchoBackend a;
    private static EchoBackend b;
    private static EchoBackend c;
    private static final int PORT = FreePorts.pick();

    @BeforeAll
    static void backends() {
        a = EchoBackend.start("a");
        b = EchoBackend.start("b");
        c = EchoBackend.start("c");
    }

    @AfterAll
    static void stopBackends() {
        a.close();
        b.close();
        c.close();
    }

    private static String servedBy(HttpResponse<String> response) {
        return response.headers().firstValue(EchoBackend.NAME_HEADER).orElse("status " + response.statusCode());
    }

    @Test
    void roundRobinVisitsEveryServerInTurn() throws Exception {
        node.apply(server("s", PORT, "p"), proxyPipeline("p", "roundRobin", a.url(), b.url(), c.url()));

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            order.add(servedBy(node.get(PORT, "/x")));
        }
        assertThat(order.subList(0, 3)).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(order.subList(3, 6)).isEqualTo(order.subList(0, 3));
        assertThat(order.subList(6, 9)).isEqualTo(order.subList(0, 3));
    }

    /** An upstream's 426 reaches the client with its Upgrade (RFC 9110 §15.5.22), though Upgrade is hop-by-hop elsewhere. */
    @Test
    void anUpstreams426KeepsItsUpgradeHeader() throws Exception {
        try (java.net.ServerSocket upstream = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<Void> answered = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (java.net.Socket accepted = upstream.accept()) {
                    java.io.InputStream in = accepted.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        head.append((char) in.read());
                    }
                    accepted.getOutputStream().write(("HTTP/1.1 426 Upgrade Required\r\nUpgrade: TLS/1.2, HTTP/1.1\r\n"
                            + "Connection: Upgrade\r\nX-Hop: gone\r\nContent-Length: 0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    accepted.getOutputStream().flush();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            node.apply(server("s", PORT, "p"), proxyPipeline("p", "roundRobin", "http://127.0.0.1:" + upstream.getLocalPort()));

            HttpResponse<String> response = node.get(PORT, "/old-protocol");

            answered.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(426);
            assertThat(response.headers().firstValue("Upgrade")).hasValue("TLS/1.2, HTTP/1.1");
        }
    }

    @Test
    void httpsUpstreamsAreReachedOverTlsAndKeptAlive() throws Exception {
        io.edgegate.testkit.TestPki pki = io.edgegate.testkit.TestPki.create("upstream-ca");
        try (EchoBackend secure = EchoBackend.startTls("secure", pki.server("localhost"))) {
            String url = secure.url().replace("127.0.0.1", "localhost");
            node.apply(server("s", PORT, "p"), proxyPipeline("p", "roundRobin", url));

            HttpResponse<String> first = node.get(PORT, "/over-tls");
            HttpResponse<String> second = node.get(PORT, "/again");

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(servedBy(first)).isEqualTo("secure");
            assertThat(servedBy(second)).isEqualTo("secure");
            assertThat(secure.received()).extracting(EchoBackend.ReceivedRequest::uri).containsExactly("/over-tls", "/again");
            // Kept alive: the second request reused the TLS connection.
            assertThat(secure.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void theServingUpstreamIsNamedOnlyWhenAsked() throws Exception {
        node.apply(server("s", PORT, "p"), proxyPipeline("p", "roundRobin", a.url()));
        assertThat(node.get(PORT, "/").headers().map()).doesNotContainKey("x-upstream");

        node.apply(server("s", PORT, "p"), proxyPipeline("p", "roundRobin", a.url())
                .replace("kind: Proxy", "kind: Proxy\n  upstreamHeader: X-Upstream"));

        assertThat(node.get(PORT, "/").headers().firstValue("X-Upstream")).hasValue(a.url());
    }

    private HttpResponse<String> getWithCookie(String path, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return node.send(request.build());
    }

    private String stickyPipeline(String loadBalance) {
        return """
                name: p
                kind: Pipeline
                filters:
                - name: proxy
                  kind: Proxy
                  pools:
                  - servers: [{url: %s}, {url: %s}, {url: %s}]
                    loadBalance: %s
                """.formatted(a.url(), b.url(), c.url(), loadBalance);
    }

    @Test
    void cookieHashKeepsEachSessionOnOneServerAndSpreadsSessions() throws Exception {
        node.apply(server("s", PORT, "p"), stickyPipeline("{policy: cookieHash, cookieName: SESSION}"));

        Map<String, String> serverOf = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int user = 0; user < 30; user++) {
                String servedBy = servedBy(getWithCookie("/", "theme=dark; SESSION=user-" + user));
                assertThat(serverOf.putIfAbsent("user-" + user, servedBy)).isIn(null, servedBy);
            }
        }
        assertThat(Set.copyOf(serverOf.values())).hasSizeGreaterThan(1);
    }

    /** Easegress's cookieHash has no cookieName: it hashes the whole Cookie header, as headerHash does. */
    @Test
    void cookieHashWithoutACookieNameHashesTheWholeCookieHeader() throws Exception {
        node.apply(server("s", PORT, "p"), stickyPipeline("{policy: cookieHash}"));

        Map<String, String> serverOf = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int user = 0; user < 30; user++) {
                String servedBy = servedBy(getWithCookie("/", "SESSION=user-" + user));
                assertThat(serverOf.putIfAbsent("user-" + user, servedBy)).isIn(null, servedBy);
            }
        }
        assertThat(Set.copyOf(serverOf.values())).hasSizeGreaterThan(1);
    }

    @Test
    void theStickySessionExampleBindsTheClientToItsServer() throws Exception {
        node.apply(server("s", PORT, "sticky-demo"),
                LocalNode.example("filters/sticky-sessions.yaml", a.url(), b.url(), c.url()));

        HttpResponse<String> first = getWithCookie("/", null);
        String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("EG_SESSION=").contains("Max-Age=7200", "Path=/", "HTTPOnly");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(cookie).doesNotContain("127.0.0.1");
        for (int i = 0; i < 6; i++) {
            assertThat(servedBy(getWithCookie("/", cookie))).isEqualTo(servedBy(first));
        }
        Set<String> withoutCookie = new java.util.HashSet<>();
        for (int i = 0; i < 30; i++) {
            withoutCookie.add(servedBy(getWithCookie("/", null)));
        }
        assertThat(withoutCookie).hasSizeGreaterThan(1);
    }

    @Test
    void anApplicationBasedSessionStartsWhenTheApplicationSetsItsCookie() throws Exception {
        node.apply(server("s", PORT, "p"), stickyPipeline(
                "{policy: roundRobin, stickySession: {mode: ApplicationBased, appCookieName: JSESSIONID}}"));

        assertThat(getWithCookie("/browse", null).headers().allValues("Set-Cookie")).isEmpty();
        HttpResponse<String> login = getWithCookie("/login?setCookie=JSESSIONID=abc", null);
        List<String> cookies = login.headers().allValues("Set-Cookie");
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("JSESSIONID=abc"));
        String lbCookie = cookies.stream().filter(c -> c.startsWith("EG_SESSION=")).findFirst().orElseThrow();
        String cookieHeader = "JSESSIONID=abc; " + lbCookie.substring(0, lbCookie.indexOf(';'));
        for (int i = 0; i < 6; i++) {
            assertThat(servedBy(getWithCookie("/cart", cookieHeader))).isEqualTo(servedBy(login));
        }
    }

    @Test
    void weightedRandomFollowsTheWeights() throws Exception {
        String pipeline = """
                name: p
                kind: Pipeline
                filters:
                - name: proxy
                  kind: Proxy
                  pools:
                  - servers:
                    - {url: %s, weight: 3}
                    - {url: %s, weight: 1}
                    - {url: %s, weight: 0}
                    loadBalance: {policy: weightedRandom}
                """.formatted(a.url(), b.url(), c.url());
        node.apply(server("s", PORT, "p"), pipeline);

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            counts.merge(servedBy(node.get(PORT, "/")), 1, Integer::sum);
        }
        assertThat(counts).doesNotContainKey("c");
        // 3:1 expected; 400 draws put "a" at 300 ± ~26 (3 sigma).
        assertThat(counts.get("a")).isBetween(260, 340);
    }

    @Test
    void headerHashAndIpHashKeepAClientOnOneServer() throws Exception {
        String pipeline = proxyPipeline("p", "headerHash", a.url(), b.url(), c.url())
                .replace("policy: headerHash", "policy: headerHash\n      headerHashKey: X-User");
        node.apply(server("s", PORT, "p"), pipeline);
        for (String user : List.of("alice", "bob", "carol")) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                seen.add(servedBy(node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/"))
                        .header("X-User", user).build())));
            }
            assertThat(seen).as(user).containsOnly(seen.get(0));
        }

        node.apply(server("s", PORT, "p"), proxyPipeline("p", "ipHash", a.url(), b.url(), c.url()));
        String first = servedBy(node.get(PORT, "/"));
        for (int i = 0; i < 5; i++) {
            assertThat(servedBy(node.get(PORT, "/"))).isEqualTo(first);
        }
    }

    @Test
    void forwardsWhatTheClientSentWithProxyHeadersAndWithoutHopByHopOnes() throws Exception {
        node.apply(server("s", PORT, "p"), proxyPipeline("p", "roundRobin", a.url()));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/echo/path?q=1"))
                .header("X-Custom", "kept")
                .header("X-Forwarded-For", "203.0.113.9")
                .POST(HttpRequest.BodyPublishers.ofString("hello body"))
                .build();

        HttpResponse<String> response = node.send(request);

        assertThat(response.statusCode()).isEqualTo(200);
        EchoBackend.ReceivedRequest seen = a.received().get(a.received().size() - 1);
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.uri()).isEqualTo("/echo/path?q=1");
        assertThat(seen.body()).isEqualTo("hello body");
        assertThat(seen.header("X-Custom")).isEqualTo("kept");
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("203.0.113.9, 127.0.0.1");
        assertThat(seen.header("Host")).as("a server given by IP address gets the client's Host, as in Easegress")
                .isEqualTo("127.0.0.1:" + PORT);
        assertThat(response.headers().firstValue("Connection")).hasValue("keep-alive");
    }

    /** As Easegress, the server's X-Forwarded-For is on the request itself: a filter's header match sees it. */
    @Test
    void filtersSeeTheXForwardedForTheServerAdds() throws Exception {
        node.apply(server("s", PORT, "p"), """
                kind: HTTPPipeline
                name: p
                flow:
                  - filter: mock
                  - filter: proxy
                filters:
                  - name: mock
                    kind: Mock
                    rules:
                      - match:
                          headers:
                            X-Forwarded-For: {regex: '^127\\.0\\.0\\.1$'}
                        code: 200
                        body: seen
                  - name: proxy
                    kind: Proxy
                    mainPool:
                      servers: [{url: '%s'}]
                """.formatted(a.url()));

        HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/x")).build());

        assertThat(response.body()).isEqualTo("seen");
    }

    /**
     * Behind a trusted proxy that adds its own X-Forwarded-For line, a line the client forged does not become the client
     * filters see when the server's own X-Forwarded-For is set on the request.
     */
    @Test
    void aForgedXForwardedForLineDoesNotBecomeTheClientFiltersSee() throws Exception {
        node.apply("""
                kind: HTTPServer
                name: s
                port: %d
                xForwardedFor: true
                trustedProxies: [127.0.0.0/8]
                rules:
                - paths:
                  - pathPrefix: /
                    backend: p
                """.formatted(PORT), """
                kind: HTTPPipeline
                name: p
                flow:
                  - filter: ip
                  - filter: proxy
                filters:
                  - name: ip
                    kind: IPFilter
                    blockIPs: [203.0.113.9]
                  - name: proxy
                    kind: Proxy
                    mainPool:
                      servers: [{url: '%s'}]
                """.formatted(a.url()));
        try (io.edgegate.dataplane.server.RawClient client = new io.edgegate.dataplane.server.RawClient(PORT)) {
            // The forged line first, the trusted proxy's own (naming the real client) after it.
            client.write("GET /x HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 192.168.1.1\r\nX-Forwarded-For: 203.0.113.9\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(client.readHead()).startsWith("HTTP/1.1 403");
        }
    }

    /** A pool's setUpstreamHost sends the server's own host to servers given by address, unless a server keeps the client's. */
    @Test
    void setUpstreamHostSendsTheServersHostUnlessTheServerKeepsTheClients() throws Exception {
        node.apply(server("s", PORT, "p"), """
                kind: Pipeline
                name: p
                filters:
                  - name: proxy
                    kind: Proxy
                    pools:
                      - servers: [{url: '%s'}, {url: '%s', keepHost: true}]
                        setUpstreamHost: true
                """.formatted(a.url(), b.url()));
        for (int i = 0; i < 4; i++) {
            assertThat(node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/h")).build()).statusCode())
                    .isEqualTo(200);
        }
        assertThat(a.received().get(a.received().size() - 1).header("Host")).isEqualTo("127.0.0.1:" + a.port());
        assertThat(b.received().get(b.received().size() - 1).header("Host")).isEqualTo("127.0.0.1:" + PORT);
    }

    @Test
    void keepAliveConnectionsToTheUpstreamAreReused() throws Exception {
        EchoBackend fresh = EchoBackend.start("fresh");
        try {
            node.apply(server("s", PORT, "p"), proxyPipeline("p", "roundRobin", fresh.url()));
            for (int i = 0; i < 20; i++) {
                assertThat(node.get(PORT, "/").statusCode()).isEqualTo(200);
            }
            // One client connection sits on one event loop, which keeps one pooled upstream connection busy.
            assertThat(fresh.connectionCount()).isLessThanOrEqualTo(2);
        } finally {
            fresh.close();
        }
    }

    @Test
    void unreachableUpstreamIs502() throws Exception {
        int closedPort = FreePorts.pick();
        node.apply(server("s", PORT, "p"), proxyPipeline("p", "roundRobin", "http://127.0.0.1:" + closedPort));

        HttpResponse<String> response = node.get(PORT, "/");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).doesNotContain(String.valueOf(closedPort));
    }

    @Test
    void anUpstreamThatWentAwayIsReplacedTransparently() throws Exception {
        EchoBackend flaky = EchoBackend.start("flaky");
        try {
            node.apply(server("s", PORT, "p"), proxyPipeline("p", "roundRobin", flaky.url()));
            assertThat(node.get(PORT, "/").statusCode()).isEqualTo(200);
            // The backend restarts: every pooled connection to it is now dead.
            flaky.stop();
            flaky.restart();
            assertThat(node.get(PORT, "/").statusCode()).isEqualTo(200);
        } finally {
            flaky.close();
        }
    }
}
