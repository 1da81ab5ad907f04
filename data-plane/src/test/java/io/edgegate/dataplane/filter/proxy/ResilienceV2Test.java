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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The v2 form: resilience policies of the pipeline named by the Proxy's pool, with failureCodes and a fallback. */
class ResilienceV2Test {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void retriesThenOpensThePoolsCircuitAndFallsBackUntilTheServiceRecovers() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "resilient-orders"), example("filters/resilience-v2.yaml", app.url()));

            app.failNext(1, HttpResponseStatus.BAD_GATEWAY);
            assertThat(node.get(port, "/orders").statusCode()).as("retried past one failure").isEqualTo(200);
            assertThat(app.requestCount()).isEqualTo(2);

            app.answerWith(HttpResponseStatus.INTERNAL_SERVER_ERROR);
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> fallback = node.get(port, "/orders");
                assertThat(fallback.statusCode()).isEqualTo(503);
                assertThat(fallback.body()).isEqualTo("orders are unavailable, try again shortly");
            }
            // 1 + 4 calls, 4 of them failed after 3 attempts each: the circuit is open.
            assertThat(app.requestCount()).isEqualTo(2 + 4 * 3);
            for (int i = 0; i < 5; i++) {
                assertThat(node.get(port, "/orders").body()).isEqualTo("orders are unavailable, try again shortly");
            }
            assertThat(app.requestCount()).as("an open circuit spares the service").isEqualTo(14);

            app.answerWith(null);
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> node.get(port, "/orders").statusCode() == 200);
            for (int i = 0; i < 5; i++) {
                assertThat(node.get(port, "/orders").statusCode()).isEqualTo(200);
            }
        }
    }

    /**
     * As Easegress v2, a pool that lists no failureCodes fails on every 5xx: retried, counted by its circuit, and
     * the Proxy's result failureCode, which ends the flow unless a jumpIf takes it (a 4xx is an answer).
     */
    @Test
    void withoutFailureCodesEvery5xxFailsAndEndsTheFlow() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "plain"), """
                    kind: Pipeline
                    name: plain
                    resilience:
                      - {name: retry2, kind: Retry, maxAttempts: 2, waitDuration: 10ms}
                    flow:
                      - filter: proxy
                      - filter: adaptor
                    filters:
                      - name: proxy
                        kind: Proxy
                        pools:
                          - servers: [{url: '%s'}]
                            retryPolicy: retry2
                      - name: adaptor
                        kind: ResponseAdaptor
                        header:
                          set: {X-Adapted: "yes"}
                    """.formatted(app.url()));

            app.failNext(1, HttpResponseStatus.SERVICE_UNAVAILABLE);
            HttpResponse<String> retried = node.get(port, "/orders");
            assertThat(retried.statusCode()).as("the 503 retried").isEqualTo(200);
            assertThat(retried.headers().firstValue("X-Adapted")).hasValue("yes");
            assertThat(app.requestCount()).isEqualTo(2);

            app.answerWith(HttpResponseStatus.INTERNAL_SERVER_ERROR);
            HttpResponse<String> failed = node.get(port, "/orders");
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.headers().firstValue("X-Adapted")).as("failureCode ended the flow").isEmpty();
            assertThat(app.requestCount()).as("tried twice").isEqualTo(4);

            app.answerWith(HttpResponseStatus.NOT_FOUND);
            HttpResponse<String> notFound = node.get(port, "/orders");
            assertThat(notFound.statusCode()).isEqualTo(404);
            assertThat(notFound.headers().firstValue("X-Adapted")).as("a 4xx is an answer").hasValue("yes");
            assertThat(app.requestCount()).as("and not retried").isEqualTo(5);
        }
    }
}
