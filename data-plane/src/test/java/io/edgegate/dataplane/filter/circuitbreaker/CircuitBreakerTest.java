package io.edgegate.dataplane.filter.circuitbreaker;

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

/** A failing backend through a real listener: the circuit opens, spares the backend, half-opens and closes. */
class CircuitBreakerTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void aFailingBackendOpensTheCircuitWhichClosesWhenItRecovers() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "circuit-breaker"), example("filters/circuit-breaker.yaml", app.url()));
            app.answerWith(HttpResponseStatus.INTERNAL_SERVER_ERROR);

            for (int i = 0; i < 5; i++) {
                assertThat(node.get(port, "/orders").statusCode()).isEqualTo(500);
            }
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> refused = node.get(port, "/orders");
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.body()).contains("circuit open");
            }
            assertThat(app.requestCount()).as("the open circuit spares the backend").isEqualTo(5);

            app.answerWith(null);
            // After waitDurationInOpenState (1s) trial calls go through again.
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> node.get(port, "/orders").statusCode() == 200);
            assertThat(node.get(port, "/orders").statusCode()).isEqualTo(200);
            int before = app.requestCount();
            for (int i = 0; i < 20; i++) {
                assertThat(node.get(port, "/orders").statusCode()).isEqualTo(200);
            }
            assertThat(app.requestCount()).isEqualTo(before + 20);
        }
    }

    @Test
    void anUnreachableBackendCountsAsAFailure() throws Exception {
        int port = FreePorts.pick();
        int closed = FreePorts.pick();
        node.apply(server("s", port, "circuit-breaker"), example("filters/circuit-breaker.yaml", "http://127.0.0.1:" + closed));
        for (int i = 0; i < 5; i++) {
            assertThat(node.get(port, "/").statusCode()).isEqualTo(502);
        }
        assertThat(node.get(port, "/").statusCode()).isEqualTo(503);
    }

    @Test
    void withoutFailureStatusCodesNoStatusOpensTheCircuitAsInEasegressV1() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            String noCodes = example("filters/circuit-breaker.yaml", app.url())
                    .replace("        failureRateThreshold: 50\n", "").replace("        failureStatusCodes: [500, 502, 503, 504]\n", "");
            assertThat(noCodes).doesNotContain("failureStatusCodes").doesNotContain("failureRateThreshold");
            node.apply(server("s", port, "circuit-breaker"), noCodes);
            app.answerWith(HttpResponseStatus.INTERNAL_SERVER_ERROR);

            for (int i = 0; i < 15; i++) {
                assertThat(node.get(port, "/orders").statusCode()).as("call " + i).isEqualTo(500);
            }
            assertThat(app.requestCount()).as("a 500 is no failure: the circuit stays closed").isEqualTo(15);
        }
    }

    @Test
    void aFailureThresholdWithNothingToCountIsRefusedAsEasegressV1RefusesIt() {
        String unreachable = example("filters/circuit-breaker.yaml", "http://127.0.0.1:9")
                .replace("        countingNetworkError: true\n", "").replace("        failureStatusCodes: [500, 502, 503, 504]\n", "");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> node.apply(server("s", FreePorts.pick(), "circuit-breaker"), unreachable))
                .hasMessageContaining("policy 'orders' has set failure threshold and countingNetworkError is false, but not set failure status code");
    }
}
