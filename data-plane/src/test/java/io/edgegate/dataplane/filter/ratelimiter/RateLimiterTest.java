package io.edgegate.dataplane.filter.ratelimiter;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RateLimiter through a real listener: limited paths get 429 past the limit, others never. */
class RateLimiterTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void pastTheLimitRequestsGet429WithRetryAfterAndNeverReachTheBackend() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "rate-limited-api"), example("filters/rate-limiter.yaml", app.url()));

            int ok = 0;
            HttpResponse<String> refused = null;
            for (int i = 0; i < 15 && refused == null; i++) {
                HttpResponse<String> response = node.get(port, "/api/orders");
                if (response.statusCode() == 200) {
                    ok++;
                } else {
                    refused = response;
                }
            }

            // Ten permits per second; a request close to the next second may wait for it, so 10 or 20.
            assertThat(ok).isIn(10, 20);
            assertThat(refused).isNotNull();
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.headers().firstValue("X-EG-Rate-Limiter")).hasValue("too-many-requests");
            assertThat(refused.body()).contains("rate limit exceeded");
            assertThat(app.received()).hasSize(ok);
            // Paths without a policy pass however many there are.
            for (int i = 0; i < 30; i++) {
                assertThat(node.get(port, "/health").statusCode()).isEqualTo(200);
            }
        }
    }

    /**
     * Easegress's own documented layout: a default policy plus urls. Only requests a url matches are
     * limited, each url by a limiter of its own (two urls naming one policy do not share it), and a url
     * without policyRef uses the default.
     */
    @Test
    void onlyRequestsAUrlMatchesAreLimitedEachUrlByItsOwnLimiterAsInEasegress() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "limited"), """
                    name: limited
                    kind: Pipeline
                    flow:
                    - filter: limiter
                    - filter: proxy
                    filters:
                    - name: limiter
                      kind: RateLimiter
                      policies:
                      - name: two-per-minute
                        timeoutDuration: 0s
                        limitRefreshPeriod: 60s
                        limitForPeriod: 2
                      defaultPolicyRef: two-per-minute
                      urls:
                      - url: {prefix: /pets}
                      - url: {prefix: /orders}
                        policyRef: two-per-minute
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers:
                        - url: %s
                    """.formatted(app.url()));

            for (String path : new String[] {"/pets/1", "/orders/1"}) {
                assertThat(node.get(port, path).statusCode()).as(path).isEqualTo(200);
                assertThat(node.get(port, path).statusCode()).as(path).isEqualTo(200);
                assertThat(node.get(port, path).statusCode()).as(path + ": its own limiter is spent").isEqualTo(429);
            }
            for (int i = 0; i < 10; i++) {
                assertThat(node.get(port, "/health").statusCode()).as("no url matches: never limited").isEqualTo(200);
            }
        }
    }

    @Test
    void anEmptyUrlsListLimitsNothingAsInEasegress() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "unlimited"), """
                    name: unlimited
                    kind: Pipeline
                    flow:
                    - filter: limiter
                    - filter: proxy
                    filters:
                    - name: limiter
                      kind: RateLimiter
                      policies:
                      - name: one-per-minute
                        timeoutDuration: 0s
                        limitRefreshPeriod: 60s
                        limitForPeriod: 1
                      defaultPolicyRef: one-per-minute
                      urls: []
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers:
                        - url: %s
                    """.formatted(app.url()));

            for (int i = 0; i < 5; i++) {
                assertThat(node.get(port, "/pets/" + i).statusCode()).as("request " + i).isEqualTo(200);
            }
            assertThat(app.requestCount()).isEqualTo(5);
        }
    }

    @Test
    void aNoisyClientIsLimitedWhileAQuietOneIsNeverRefused() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "per-client-limit"), example("filters/rate-limiter-per-client.yaml", app.url()));
            java.util.function.Function<String, Integer> call = key -> node.send(HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + port + "/")).header("X-Api-Key", key).build()).statusCode();

            int noisyRefused = 0;
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 10; i++) {
                    if (call.apply("noisy") == 429) {
                        noisyRefused++;
                    }
                }
                assertThat(call.apply("quiet")).as("quiet client, round " + round).isEqualTo(200);
            }

            assertThat(noisyRefused).isGreaterThanOrEqualTo(40 - 2 * 5 * 2);
        }
    }
}
