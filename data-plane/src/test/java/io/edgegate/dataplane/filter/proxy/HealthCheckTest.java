package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Active health checks: a stopped server leaves the rotation within interval × fails and returns after passes. */
class HealthCheckTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static Set<String> servedBy(int port, int requests) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = node.get(port, "/work");
            assertThat(response.statusCode()).isEqualTo(200);
            names.add(response.headers().firstValue(EchoBackend.NAME_HEADER).orElseThrow());
        }
        return names;
    }

    @Test
    void aStoppedServerLeavesTheRotationAndComesBack() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend a = EchoBackend.start("a"); EchoBackend b = EchoBackend.start("b"); EchoBackend c = EchoBackend.start("c")) {
            node.apply(server("s", port, "health-checked"), example("filters/health-check.yaml", a.url(), b.url(), c.url()));
            assertThat(servedBy(port, 6)).containsExactlyInAnyOrder("a", "b", "c");

            b.stop();
            // interval 1s × fails 2, plus a probe's round trip; the bound is generous for a busy machine.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                for (int i = 0; i < 3; i++) {
                    if (node.get(port, "/work").statusCode() != 200) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(servedBy(port, 30)).containsExactlyInAnyOrder("a", "c");

            b.restart();
            await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100))
                    .until(() -> servedBy(port, 3).contains("b"));
            assertThat(b.received()).extracting(EchoBackend.ReceivedRequest::uri).contains("/healthz");
        }
    }

    /** Easegress's healthCheck is always an HTTP probe: with no uri, a GET of the server's own URL that must answer 200–399. */
    @Test
    void withoutAUriTheProbeIsAnHttpGetOfTheServersUrl() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend a = EchoBackend.start("a"); EchoBackend b = EchoBackend.start("b")) {
            node.apply(server("s", port, "checked"), """
                    kind: Pipeline
                    name: checked
                    filters:
                      - name: proxy
                        kind: Proxy
                        pools:
                          - servers: [{url: '%s'}, {url: '%s'}]
                            healthCheck: {interval: 200ms, fails: 1}
                    """.formatted(a.url(), b.url()));
            b.answerWith(HttpResponseStatus.SERVICE_UNAVAILABLE); // up and accepting connections, but failing

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                for (int i = 0; i < 4; i++) {
                    if (node.get(port, "/work").statusCode() != 200) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(servedBy(port, 6)).containsExactly("a");
            assertThat(b.received()).extracting(EchoBackend.ReceivedRequest::uri).contains("/");
        }
    }

    /** As Easegress, a probe without match.body passes on its status: a page larger than any body the probe would hold too. */
    @Test
    void aLargePageAnsweringTheProbePassesWithoutABodyMatch() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend a = EchoBackend.start("a"); EchoBackend b = EchoBackend.start("b")) {
            a.answerJson("\"" + "x".repeat(200_000) + "\"");
            node.apply(server("s", port, "checked-large"), """
                    kind: Pipeline
                    name: checked-large
                    filters:
                      - name: proxy
                        kind: Proxy
                        pools:
                          - servers: [{url: '%s'}, {url: '%s'}]
                            healthCheck: {interval: 100ms, fails: 1}
                    """.formatted(a.url(), b.url()));

            await().atMost(Duration.ofSeconds(10)).until(() -> a.received().stream()
                    .filter(r -> "EdgeGate-HealthCheck".equals(r.header("User-Agent"))).count() >= 3);
            assertThat(servedBy(port, 6)).containsExactlyInAnyOrder("a", "b");
        }
    }

    /**
     * A hash policy whose server is out picks among those in by the same key (as Easegress hashes over its healthy
     * servers): the clients of the server that left spread over the others, and each keeps to one.
     */
    @Test
    void theClientsOfAHashedServerThatLeftSpreadAndStayPut() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend a = EchoBackend.start("a"); EchoBackend b = EchoBackend.start("b"); EchoBackend c = EchoBackend.start("c")) {
            node.apply(server("s", port, "hashed"), """
                    kind: Pipeline
                    name: hashed
                    filters:
                      - name: proxy
                        kind: Proxy
                        pools:
                          - servers: [{url: '%s'}, {url: '%s'}, {url: '%s'}]
                            loadBalance: {policy: headerHash, headerHashKey: X-User}
                            healthCheck: {interval: 200ms, fails: 1}
                    """.formatted(a.url(), b.url(), c.url()));
            java.util.function.Function<String, String> servedTo = user -> node.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/work")).header("X-User", user).build())
                    .headers().firstValue(EchoBackend.NAME_HEADER).orElse("none");
            java.util.List<String> bsUsers = new java.util.ArrayList<>();
            for (int user = 0; bsUsers.size() < 12 && user < 500; user++) {
                if (servedTo.apply("user-" + user).equals("b")) {
                    bsUsers.add("user-" + user);
                }
            }
            b.answerWith(HttpResponseStatus.SERVICE_UNAVAILABLE);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> bsUsers.stream().noneMatch(u -> servedTo.apply(u).equals("b")));

            java.util.Map<String, String> movedTo = new java.util.HashMap<>();
            for (String user : bsUsers) {
                movedTo.put(user, servedTo.apply(user));
            }
            for (String user : bsUsers) {
                assertThat(servedTo.apply(user)).as(user + " stays on its new server").isEqualTo(movedTo.get(user));
            }
            assertThat(Set.copyOf(movedTo.values())).as("b's clients spread over a and c").containsExactlyInAnyOrder("a", "c");
        }
    }

    @Test
    void withEveryServerOutClientsGet503WithoutAServerBeingTried() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend a = EchoBackend.start("a"); EchoBackend b = EchoBackend.start("b"); EchoBackend c = EchoBackend.start("c")) {
            node.apply(server("s", port, "health-checked"), example("filters/health-check.yaml", a.url(), b.url(), c.url()));
            for (EchoBackend backend : List.of(a, b, c)) {
                backend.answerWith(HttpResponseStatus.SERVICE_UNAVAILABLE); // alive, but its health check fails
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> node.get(port, "/work").body().contains("no server available"));
            List<EchoBackend> servers = List.of(a, b, c);
            long triedBefore = workRequests(servers);
            HttpResponse<String> refused = node.get(port, "/work");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(workRequests(servers)).as("servers that are out are not tried").isEqualTo(triedBefore);
        }
    }

    @Test
    void easegressHttpProbeFieldsShapeTheRequestAndItsHeadersMustMatch() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend a = EchoBackend.start("a"); EchoBackend b = EchoBackend.start("b")) {
            node.apply(server("s", port, "probed"), """
                    name: probed
                    kind: Pipeline
                    flow:
                    - filter: proxy
                    filters:
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers:
                        - url: %s
                        - url: %s
                        healthCheck:
                          interval: 200ms
                          timeout: 1s
                          uri: /status?deep=1
                          method: POST
                          headers:
                            X-Probe: "yes"
                            Host: health.internal
                          body: '{"deep": true}'
                          username: probe
                          password: s3cret
                          match:
                            statusCodes: [[200, 299]]
                            headers:
                            - name: X-Echo-Backend
                              value: "^a$"
                              type: regexp
                    """.formatted(a.url(), b.url()));
            // b answers its probes with 200 but the wrong X-Echo-Backend: it leaves the rotation.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> servedBy(port, 4).equals(Set.of("a")));
            assertThat(servedBy(port, 20)).containsExactly("a");
            EchoBackend.ReceivedRequest probe = a.received().stream().filter(r -> r.uri().startsWith("/status")).findFirst().orElseThrow();
            assertThat(probe.method()).isEqualTo("POST");
            assertThat(probe.uri()).isEqualTo("/status?deep=1");
            assertThat(probe.header("X-Probe")).isEqualTo("yes");
            assertThat(probe.header("Host")).isEqualTo("health.internal");
            assertThat(probe.header("Authorization")).isEqualTo("Basic cHJvYmU6czNjcmV0");
            assertThat(probe.body()).isEqualTo("{\"deep\": true}");
        }
    }

    @Test
    void aProbePortOtherThanTheServersIsTheOneChecked() throws Exception {
        int port = FreePorts.pick();
        int closed = FreePorts.pick();
        try (EchoBackend a = EchoBackend.start("a")) {
            node.apply(server("s", port, "port-probed"), """
                    name: port-probed
                    kind: Pipeline
                    flow:
                    - filter: proxy
                    filters:
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers:
                        - url: %s
                        healthCheck:
                          interval: 200ms
                          timeout: 1s
                          port: %d
                    """.formatted(a.url(), closed));
            // The server itself is up, but nothing listens on the probe's port: it leaves the rotation.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> node.get(port, "/work").statusCode() == 503);
        }
    }

    private static long workRequests(List<EchoBackend> servers) {
        return servers.stream().flatMap(s -> s.received().stream()).filter(r -> r.uri().equals("/work")).count();
    }
}
