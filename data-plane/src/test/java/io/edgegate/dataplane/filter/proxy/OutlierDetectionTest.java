package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Passive health: a server failing in a row is ejected for a while, then gets traffic again. */
class OutlierDetectionTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void aServerFailingFiveTimesInARowIsEjectedAndReturnsAfterTheEjectionTime() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend a = EchoBackend.start("a"); EchoBackend b = EchoBackend.start("b"); EchoBackend c = EchoBackend.start("c")) {
            node.apply(server("s", port, "outlier-detected"), example("filters/outlier-detection.yaml", a.url(), b.url(), c.url())
                    .replace("baseEjectionTime: 30s", "baseEjectionTime: 1s"));
            b.answerWith(HttpResponseStatus.SERVICE_UNAVAILABLE);

            int failures = 0;
            for (int i = 0; i < 15; i++) {
                failures += node.get(port, "/work").statusCode() == 503 ? 1 : 0;
            }
            assertThat(failures).as("b answered its 5 requests of 15").isEqualTo(5);
            int seenByB = b.requestCount();
            for (int i = 0; i < 20; i++) {
                assertThat(node.get(port, "/work").statusCode()).isEqualTo(200);
            }
            assertThat(b.requestCount()).as("ejected: no request reaches b").isEqualTo(seenByB);

            b.answerWith(null);
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
                node.get(port, "/work");
                return b.requestCount() > seenByB;
            });
        }
    }
}
