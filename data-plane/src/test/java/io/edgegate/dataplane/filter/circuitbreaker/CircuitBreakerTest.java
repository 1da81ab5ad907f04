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
}
