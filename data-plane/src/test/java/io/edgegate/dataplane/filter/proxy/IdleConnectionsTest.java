package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Easegress's maxIdleConnsPerHost: how many upstream connections a Proxy keeps once a burst is over. */
class IdleConnectionsTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static final int BURST = 10;

    @Test
    void aBurstLeavesAsManyIdleConnectionsAsTheProxyKeeps() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "idle"), pipeline(app.url(), ""));
            burst(port);
            assertThat(app.connectionCount()).as("the burst needed a connection per request").isEqualTo(BURST);
            // Easegress's default keeps 1,024 per host: every connection of the burst stays for the next one.
            assertThat(app.openConnections()).isEqualTo(BURST);

            node.apply(server("s", port, "idle-connections"), LocalNode.example("filters/idle-connections.yaml", app.url()));
            burst(port);
            // One kept per event loop (the node has two), the rest closed as their exchanges ended.
            await().atMost(Duration.ofSeconds(5)).until(() -> app.openConnections() <= 2);
            // setUpstreamHost: the server's own host, not the client's.
            assertThat(app.received().get(app.received().size() - 1).header("Host")).isEqualTo(app.url().substring("http://".length()));
        }
    }

    private static void burst(int port) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow?delay=300")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        answers.forEach(answer -> assertThat(answer.join().statusCode()).isEqualTo(200));
    }

    private static String pipeline(String url, String idle) {
        return """
                name: idle
                kind: Pipeline
                flow:
                - filter: proxy
                filters:
                - name: proxy
                  kind: Proxy
                  %s
                  pools:
                  - servers:
                    - url: %s
                """.formatted(idle, url);
    }
}
