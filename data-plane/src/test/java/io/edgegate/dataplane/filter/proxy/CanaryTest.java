package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.server.RawClient;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Candidate pools and the mirror pool, through a real listener. */
class CanaryTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static final int PORT = FreePorts.pick();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static EchoBackend stable;
    private static EchoBackend canary;
    private static EchoBackend mirror;

    @BeforeAll
    static void start() {
        stable = EchoBackend.start("stable");
        canary = EchoBackend.start("canary");
        mirror = EchoBackend.start("mirror");
    }

    @AfterAll
    static void stop() {
        stable.close();
        canary.close();
        mirror.close();
    }

    private static String servedBy(HttpResponse<?> response) {
        return response.headers().firstValue(EchoBackend.NAME_HEADER).orElse("none");
    }

    @Test
    void aPermilOfAHundredSendsTenPercentOfTheRequests() throws Exception {
        node.apply(server("s", PORT, "p"), """
                name: p
                kind: HTTPPipeline
                filters:
                - name: proxy
                  kind: Proxy
                  mainPool:
                    servers: [{url: %s}]
                  candidatePools:
                  - servers: [{url: %s}]
                    filter:
                      probability: {perMill: 100, policy: random}
                """.formatted(stable.url(), canary.url()));

        Map<String, Integer> counts = new HashMap<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/")).build();
        for (int i = 0; i < 4_000; i++) {
            counts.merge(servedBy(HTTP.send(request, HttpResponse.BodyHandlers.discarding())), 1, Integer::sum);
        }

        // 400 expected, σ ≈ 19: the bounds are over 4σ away.
        assertThat(counts.get("canary")).isBetween(320, 480);
        assertThat(counts.get("canary") + counts.get("stable")).isEqualTo(4_000);
    }

    @Test
    void theExampleSendsEveryMatchingRequestToTheCanaryKeepsClientsOnTheirSideAndMirrors() throws Exception {
        node.apply(server("s", PORT, "canary-demo"), example("filters/canary.yaml", stable.url(), canary.url(), mirror.url()));

        for (int i = 0; i < 50; i++) {
            HttpResponse<String> flagged = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/try"))
                    .header("X-Canary", "yes").build());
            assertThat(servedBy(flagged)).isEqualTo("canary");
        }

        Set<String> sides = new HashSet<>();
        for (int host = 2; host < 60; host++) {
            String from = "127.0.0." + host;
            String first = null;
            for (int i = 0; i < 5; i++) {
                try (RawClient client = new RawClient(PORT, from)) {
                    String answer = client.get("/ip");
                    String side = answer.contains("X-Echo-Backend: canary") ? "canary" : "stable";
                    if (first == null) {
                        first = side;
                    }
                    assertThat(side).as(from + " flipped sides").isEqualTo(first);
                }
            }
            sides.add(first);
        }
        assertThat(sides).containsExactlyInAnyOrder("canary", "stable");

        HttpResponse<String> posted = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/orders"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"item\": 7}")).build());
        assertThat(servedBy(posted)).isIn("stable", "canary");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(mirror.received())
                .anySatisfy(r -> {
                    assertThat(r.uri()).isEqualTo("/orders");
                    assertThat(r.body()).isEqualTo("{\"item\": 7}");
                }));
        assertThat(mirror.received()).anySatisfy(r -> assertThat(r.uri()).isEqualTo("/try"));
    }

    @Test
    void aMirrorPoolsFilterChoosesWhichRequestsAreCopiedAsEasegressRequires() throws Exception {
        node.apply(server("s", PORT, "p"), """
                name: p
                kind: Pipeline
                flow:
                - filter: proxy
                filters:
                - name: proxy
                  kind: Proxy
                  pools:
                  - servers: [{url: %s}]
                  mirrorPool:
                    filter:
                      headers:
                        X-Mirror:
                          exact: "yes"
                    servers: [{url: %s}]
                """.formatted(stable.url(), mirror.url()));

        for (int i = 0; i < 5; i++) {
            assertThat(node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/unselected-" + i)).build()).statusCode())
                    .isEqualTo(200);
            assertThat(node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/selected-" + i))
                    .header("X-Mirror", "yes").build()).statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> mirror.received().stream().filter(r -> r.uri().startsWith("/selected-")).count() == 5);
        assertThat(mirror.received()).noneMatch(r -> r.uri().startsWith("/unselected-"));
    }

    @Test
    void aMirrorThatIsDownChangesNothingForClients() throws Exception {
        int deadPort = FreePorts.pick();
        node.apply(server("s", PORT, "p"), """
                name: p
                kind: HTTPPipeline
                filters:
                - name: proxy
                  kind: Proxy
                  mainPool:
                    servers: [{url: %s}]
                  mirrorPool:
                    filter: {probability: {perMill: 1000, policy: random}}
                    servers: [{url: http://127.0.0.1:%d}]
                """.formatted(stable.url(), deadPort));

        HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/x"))
                .POST(HttpRequest.BodyPublishers.ofString("payload")).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servedBy(response)).isEqualTo("stable");
    }
}
