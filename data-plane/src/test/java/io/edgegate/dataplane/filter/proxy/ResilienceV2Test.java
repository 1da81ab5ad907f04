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
}
