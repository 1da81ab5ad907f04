package io.edgegate.dataplane.pipeline;

import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.server.RawClient;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.TestTokens;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every filter kind that can refuse a request, in the flow a new user writes: the refusing
 * filter, then a Proxy, and no {@code jumpIf}. The refusal ends the flow (Easegress's rule)
 * and the upstream, which counts what it receives, sees nothing. With {@code jumpIf} sending
 * the result to another filter, that filter answers instead.
 */
class RefusalFlowTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static final int PORT = FreePorts.pick();
    private static final String HS256_SECRET_HEX = "6d792d7665727920736563726574206b6579";
    private static EchoBackend upstream;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        upstream = EchoBackend.start("upstream");
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    /** The flow users write first: the filter, then the Proxy, no jumpIf. */
    private static String withoutJumpIf(String door) {
        return """
                kind: HTTPPipeline
                name: guarded
                flow:
                  - filter: door
                  - filter: proxy
                filters:
                %s
                  - name: proxy
                    kind: Proxy
                    mainPool:
                      servers:
                        - url: %s
                """.formatted(door.stripTrailing(), upstream.url());
    }

    /** The same, with the door's refusal sent to a fallback Mock by jumpIf. */
    private static String withJumpIf(String door, String result) {
        return """
                kind: HTTPPipeline
                name: guarded
                flow:
                  - filter: door
                    jumpIf: { %s: fallback }
                  - filter: proxy
                  - filter: END
                  - filter: fallback
                filters:
                %s
                  - name: proxy
                    kind: Proxy
                    mainPool:
                      servers:
                        - url: %s
                  - name: fallback
                    kind: Mock
                    rules:
                      - code: 203
                        body: fallback answered
                """.formatted(result, door.stripTrailing(), upstream.url());
    }

    private static HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path));
    }

    private static HttpResponse<String> send(HttpRequest request) {
        return node.send(request);
    }

    /**
     * Applies the door without jumpIf, lets {@code arm} bring it into its refusing state, and
     * checks that {@code request} is refused with {@code status} and reaches no upstream; then
     * the same with jumpIf on {@code result} to a fallback, which answers instead. The door's
     * spec is the same in both, so its state (buckets, circuits) carries over.
     */
    private static void assertRefusal(String door, String result, Supplier<HttpRequest> request, int status, Runnable arm)
            throws Exception {
        node.apply(server("s", PORT, "guarded"), withoutJumpIf(door));
        arm.run();
        int before = upstream.requestCount();

        HttpResponse<String> refused = send(request.get());

        assertThat(refused.statusCode()).as("answer without jumpIf: " + refused.body()).isEqualTo(status);
        assertThat(upstream.requestCount()).as("requests that reached the upstream").isEqualTo(before);

        node.apply(server("s", PORT, "guarded"), withJumpIf(door, result));
        HttpResponse<String> jumped = send(request.get());

        assertThat(jumped.statusCode()).as("answer with jumpIf to the fallback: " + jumped.body()).isEqualTo(203);
        assertThat(jumped.body()).isEqualTo("fallback answered");
        assertThat(upstream.requestCount()).as("requests that reached the upstream").isEqualTo(before);
    }

    private static void assertRefusal(String door, String result, Supplier<HttpRequest> request, int status) throws Exception {
        assertRefusal(door, result, request, status, () -> { });
    }

    @Test
    void validatorHeaderRules() throws Exception {
        String door = """
                  - name: door
                    kind: Validator
                    headers:
                      X-Client:
                        values: [web]
                """;
        assertRefusal(door, "invalid", () -> to("/account").build(), 400);
        // A POST refused and sent on by jumpIf to the Proxy arrives whole: a refusal does not eat the body.
        assertTheProxyGetsTheBodyWhole(door, "invalid");
    }

    /** With {@code result} sent on to the Proxy by jumpIf, a POST refused by the door arrives upstream whole. */
    private static void assertTheProxyGetsTheBodyWhole(String door, String result) throws Exception {
        node.apply(server("s", PORT, "guarded"), withoutJumpIf(door).replace("""
                  - filter: door
                """, """
                  - filter: door
                    jumpIf: { %s: proxy }
                """.formatted(result)));

        HttpResponse<String> answer = send(to("/orders").POST(HttpRequest.BodyPublishers.ofString("order=7")).build());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(upstream.received().get(upstream.received().size() - 1).body()).isEqualTo("order=7");
    }

    @Test
    void validatorJwtRefusesNoTokenAWrongKeyExpiryAndAlgNone() throws Exception {
        String door = """
                  - name: door
                    kind: Validator
                    jwt:
                      algorithm: HS256
                      secret: %s
                """.formatted(HS256_SECRET_HEX);
        byte[] secret = java.util.HexFormat.of().parseHex(HS256_SECRET_HEX);
        String wrongKey = TestTokens.hs256(TestTokens.claims("a", 300), "another key".getBytes(StandardCharsets.UTF_8));
        String expired = TestTokens.hs256(TestTokens.claims("a", -60), secret);
        String algNone = TestTokens.unsigned(TestTokens.claims("a", 300));
        assertRefusal(door, "invalid", () -> to("/account").build(), 401);
        for (String token : new String[] {wrongKey, expired, algNone}) {
            assertRefusal(door, "invalid", () -> to("/account").header("Authorization", "Bearer " + token).build(), 401);
        }
        node.apply(server("s", PORT, "guarded"), withoutJumpIf(door));
        String valid = TestTokens.hs256(TestTokens.claims("a", 300), secret);
        assertThat(send(to("/account").header("Authorization", "Bearer " + valid).build()).statusCode()).isEqualTo(200);
    }

    @Test
    void validatorSignature() throws Exception {
        assertRefusal("""
                  - name: door
                    kind: Validator
                    signature:
                      accessKeys:
                        app-1: secret-of-app-1
                """, "invalid", () -> to("/signed").build(), 401);
    }

    @Test
    void validatorBasicAuthFromAFile() throws Exception {
        Path users = dir.resolve("users.htpasswd");
        // bob / s3cret, as `htpasswd -nbs bob s3cret` writes it.
        Files.writeString(users, "bob:{SHA}/vNB+F2HQ559kaLUZbmHHvZrXpg=\n");
        String door = """
                  - name: door
                    kind: Validator
                    basicAuth:
                      mode: FILE
                      userFile: %s
                """.formatted(users);
        assertRefusal(door, "invalid", () -> to("/private").build(), 401);
        assertRefusal(door, "invalid", () -> to("/private").header("Authorization", basic("bob", "wrong")).build(), 401);
        node.apply(server("s", PORT, "guarded"), withoutJumpIf(door));
        assertThat(send(to("/private").header("Authorization", basic("bob", "s3cret")).build()).statusCode()).isEqualTo(200);
    }

    @Test
    void validatorBasicAuthFromCustomData() throws Exception {
        String users = """
                kind: CustomData
                name: credentials
                records:
                  - username: bob
                    password: "{SHA}/vNB+F2HQ559kaLUZbmHHvZrXpg="
                """;
        String door = """
                  - name: door
                    kind: Validator
                    basicAuth:
                      mode: ETCD
                      etcdPrefix: credentials/
                """;
        for (String pipeline : new String[] {withoutJumpIf(door), withJumpIf(door, "invalid")}) {
            int before = upstream.requestCount();
            node.apply(server("s", PORT, "guarded"), users, pipeline);
            HttpResponse<String> refused = send(to("/private").header("Authorization", basic("bob", "wrong")).build());
            assertThat(refused.statusCode()).isEqualTo(pipeline.contains("jumpIf") ? 203 : 401);
            assertThat(upstream.requestCount()).isEqualTo(before);
        }
    }

    @Test
    void ipFilter() throws Exception {
        assertRefusal("""
                  - name: door
                    kind: IPFilter
                    blockIPs: [127.0.0.0/8]
                """, "blocked", () -> to("/x").build(), 403);
    }

    @Test
    void rateLimiter() throws Exception {
        String door = """
                  - name: door
                    kind: RateLimiter
                    policies:
                      - name: one-per-minute
                        timeoutDuration: 0s
                        limitRefreshPeriod: 60s
                        limitForPeriod: 1
                    defaultPolicyRef: one-per-minute
                """;
        assertRefusal(door, "rateLimited", () -> to("/api").build(), 429,
                () -> assertThat(send(to("/api").build()).statusCode()).as("the one permit").isEqualTo(200));
    }

    @Test
    void circuitBreaker() throws Exception {
        String door = """
                  - name: door
                    kind: CircuitBreaker
                    policies:
                      - name: fragile
                        slidingWindowType: COUNT_BASED
                        slidingWindowSize: 2
                        minimumNumberOfCalls: 2
                        failureRateThreshold: 50
                        waitDurationInOpenState: 60s
                        failureStatusCodes: [500]
                    defaultPolicyRef: fragile
                """;
        assertRefusal(door, "shortCircuited", () -> to("/orders").build(), 503, () -> {
            upstream.answerWith(HttpResponseStatus.INTERNAL_SERVER_ERROR);
            try {
                for (int i = 0; i < 2; i++) {
                    assertThat(send(to("/orders").build()).statusCode()).isEqualTo(500);
                }
            } finally {
                upstream.answerWith(null);
            }
        });
    }

    @Test
    void requestFilter() throws Exception {
        assertRefusal("""
                  - name: door
                    kind: RequestFilter
                    builtInRules: true
                """, "blocked", () -> to("/search?q=%3Cscript%3Ealert(1)%3C/script%3E").build(), 403);
    }

    @Test
    void corsPreflight() throws Exception {
        assertRefusal("""
                  - name: door
                    kind: CORSAdaptor
                    allowedOrigins: ["https://app.example.com"]
                    allowedMethods: [GET, PUT]
                """, "preflighted", () -> to("/api").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "PUT").build(), 204);
    }

    @Test
    void redirector() throws Exception {
        assertRefusal("""
                  - name: door
                    kind: Redirector
                    match: '^/old(.*)$'
                    replacement: '/new$1'
                """, "redirected", () -> to("/old/page").build(), 301);
    }

    @Test
    void mock() throws Exception {
        assertRefusal("""
                  - name: door
                    kind: Mock
                    rules:
                      - match:
                          pathPrefix: /maintenance
                        code: 503
                        body: down for maintenance
                """, "mocked", () -> to("/maintenance/now").build(), 503);
    }

    @Test
    void staticFileMiss() throws Exception {
        Path root = Files.createDirectories(dir.resolve("site"));
        assertRefusal("""
                  - name: door
                    kind: StaticFile
                    root: %s
                """.formatted(root), "fileNotFound", () -> to("/missing.html").build(), 404);
    }

    @Test
    void staticFileRefusesMethodsOtherThanGetAndHead() throws Exception {
        Path root = Files.createDirectories(dir.resolve("site"));
        Files.writeString(root.resolve("page.html"), "<p>hello</p>");
        assertRefusal("""
                  - name: door
                    kind: StaticFile
                    root: %s
                """.formatted(root), "clientError",
                () -> to("/page.html").POST(HttpRequest.BodyPublishers.ofString("x")).build(), 405);
    }

    @Test
    void proxyThatCannotReachItsServer() throws Exception {
        int closed = FreePorts.pick();
        assertRefusal("""
                  - name: door
                    kind: Proxy
                    mainPool:
                      servers:
                        - url: http://127.0.0.1:%d
                """.formatted(closed), "serverError", () -> to("/x").build(), 502);
    }

    @Test
    void aProxyThatFailedLeavesTheBodyToTheProxyItsJumpLeadsTo() throws Exception {
        int closed = FreePorts.pick();
        assertTheProxyGetsTheBodyWhole("""
                  - name: door
                    kind: Proxy
                    mainPool:
                      servers:
                        - url: http://127.0.0.1:%d
                """.formatted(closed), "serverError");
    }

    @Test
    void timeLimiterEndsTheFlowWithTheProxysTimeout() throws Exception {
        // The time limit is enforced by the Proxy after it: Easegress's TimeLimiter answer (408) and result serverError, which ends the flow.
        try (EchoBackend slow = EchoBackend.start("slow")) {
            String flow = """
                    kind: HTTPPipeline
                    name: guarded
                    flow:
                      - filter: limit
                      - filter: slow-proxy
                      - filter: proxy
                    filters:
                      - name: limit
                        kind: TimeLimiter
                        defaultTimeoutDuration: 100ms
                        urls:
                          - url: {prefix: /report}
                      - name: slow-proxy
                        kind: Proxy
                        mainPool:
                          servers:
                            - url: %s
                      - name: proxy
                        kind: Proxy
                        mainPool:
                          servers:
                            - url: %s
                    """.formatted(slow.url(), upstream.url());
            node.apply(server("s", PORT, "guarded"), flow);
            int before = upstream.requestCount();

            assertThat(send(to("/report?delay=1000").build()).statusCode()).isEqualTo(408);
            assertThat(upstream.requestCount()).isEqualTo(before);
        }
    }

    @Test
    void v2ResiliencePolicies() throws Exception {
        // A pool whose circuit is open answers 503 shortCircuited; without jumpIf nothing runs after it.
        try (EchoBackend failing = EchoBackend.start("failing")) {
            String flow = """
                    kind: Pipeline
                    name: guarded
                    resilience:
                      - name: cb
                        kind: CircuitBreaker
                        slidingWindowType: COUNT_BASED
                        slidingWindowSize: 2
                        minimumNumberOfCalls: 2
                        failureRateThreshold: 50
                        waitDurationInOpenState: 60s
                    flow:
                      - filter: door
                      - filter: proxy
                    filters:
                      - name: door
                        kind: Proxy
                        pools:
                          - servers:
                              - url: %s
                            circuitBreakerPolicy: cb
                            failureCodes: [500]
                      - name: proxy
                        kind: Proxy
                        pools:
                          - servers:
                              - url: %s
                    """.formatted(failing.url(), upstream.url());
            node.apply(server("s", PORT, "guarded"), flow);
            failing.answerWith(HttpResponseStatus.INTERNAL_SERVER_ERROR);
            int before = upstream.requestCount();
            for (int i = 0; i < 2; i++) {
                assertThat(send(to("/orders").build()).statusCode()).as("failureCode ends the flow").isEqualTo(500);
            }
            int failingBefore = failing.requestCount();

            assertThat(send(to("/orders").build()).statusCode()).isEqualTo(503);
            assertThat(failing.requestCount()).as("an open circuit calls nobody").isEqualTo(failingBefore);
            assertThat(upstream.requestCount()).isEqualTo(before);
        }
    }

    @Test
    void ipFiltersOfTheServerItsRulesAndPathsRefuseBeforeAnyPipeline() throws Exception {
        String pipeline = withoutJumpIf("""
                  - name: door
                    kind: Mock
                    rules:
                      - match:
                          path: /never-matched
                        code: 200
                """);
        String plain = server("s", PORT, "guarded");
        String[] servers = {
            plain.replace("rules:\n", "ipFilter:\n  blockIPs: [127.0.0.1]\nrules:\n"),
            plain.replace("rules:\n- paths:\n", "rules:\n- ipFilter:\n    blockIPs: [127.0.0.1]\n  paths:\n"),
            plain.replace("  - pathPrefix: /\n", "  - pathPrefix: /\n    ipFilter:\n      blockIPs: [127.0.0.1]\n"),
        };
        for (String guarded : servers) {
            assertThat(guarded).isNotEqualTo(plain);
            node.apply(guarded, pipeline);
            int before = upstream.requestCount();

            assertThat(send(to("/x").build()).statusCode()).as(guarded).isEqualTo(403);
            assertThat(upstream.requestCount()).isEqualTo(before);
        }
    }

    @Test
    void aThousandRefusalsInARowOverKeepAliveAreEachAnsweredPromptly() throws Exception {
        node.apply(server("s", PORT, "guarded"), withoutJumpIf("""
                  - name: door
                    kind: Validator
                    headers:
                      X-Client:
                        values: [web]
                """));
        String[] requests = {
            "GET /a HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world",
            "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        };
        RawClient[] clients = new RawClient[4];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = new RawClient(PORT);
        }
        try {
            for (int i = 0; i < 30; i++) {
                clients[0].write(requests[i % requests.length]);
                clients[0].readResponse();
            }
            int before = upstream.requestCount();
            long slowest = 0;
            for (int i = 0; i < 1000; i++) {
                RawClient client = clients[i % clients.length];
                long start = System.nanoTime();
                client.write(requests[i % requests.length]);
                String response = client.readResponse();
                long took = System.nanoTime() - start;
                slowest = Math.max(slowest, took);
                assertThat(response).as("request " + i).startsWith("HTTP/1.1 400 ");
                assertThat(took).as("request " + i + " answered after " + took / 1_000_000 + " ms").isLessThan(1_000_000_000L);
            }
            assertThat(upstream.requestCount()).as("requests that reached the upstream").isEqualTo(before);
            System.out.println("slowest of 1000 refusals: " + slowest / 1000 + " µs");
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
