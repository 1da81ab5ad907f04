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

    /** Clients that give up on a slow server (a timeout of theirs, a closed tab) say nothing about its health. */
    @Test
    void clientsGoingAwayDoNotEjectAServer() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend a = EchoBackend.start("a"); EchoBackend b = EchoBackend.start("b"); EchoBackend c = EchoBackend.start("c")) {
            node.apply(server("s", port, "outlier-detected"), example("filters/outlier-detection.yaml", a.url(), b.url(), c.url()));
            int seen = a.requestCount() + b.requestCount() + c.requestCount();

            for (int i = 0; i < 15; i++) {
                try (java.net.Socket impatient = new java.net.Socket("127.0.0.1", port)) {
                    impatient.getOutputStream().write(("GET /slow?delay=3000 HTTP/1.1\r\nHost: s\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    impatient.getOutputStream().flush();
                    int before = seen + i;
                    // Gone once the upstream has the request, before it answers.
                    await().atMost(Duration.ofSeconds(5)).until(() -> a.requestCount() + b.requestCount() + c.requestCount() > before);
                }
            }

            int[] before = {a.requestCount(), b.requestCount(), c.requestCount()};
            for (int i = 0; i < 9; i++) {
                assertThat(node.get(port, "/work").statusCode()).isEqualTo(200);
            }
            assertThat(new int[] {a.requestCount() - before[0], b.requestCount() - before[1], c.requestCount() - before[2]})
                    .as("no server was ejected for the clients that left: each still gets its share").containsOnly(3);
        }
    }
}
