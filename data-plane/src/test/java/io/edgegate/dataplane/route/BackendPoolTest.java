package io.edgegate.dataplane.route;

import static io.edgegate.dataplane.LocalNode.example;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A path's backendPool proxies to its pool without a pipeline of its own. */
class BackendPoolTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void aBackendPoolPathBalancesOverItsServersAndOtherPathsKeepTheirPipeline() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend one = EchoBackend.start("one"); EchoBackend two = EchoBackend.start("two");
             EchoBackend app = EchoBackend.start("app")) {
            node.apply(example("server/backend-pool.yaml", one.url(), two.url()).replace("port: 10080", "port: " + port),
                    example("pipeline-reverse-proxy.yaml", app.url(), app.url(), app.url()));

            for (int i = 0; i < 4; i++) {
                node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/static/a.css")).build());
            }
            node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api")).build());

            assertThat(one.received()).hasSize(2);
            assertThat(two.received()).hasSize(2);
            assertThat(one.received().get(0).uri()).isEqualTo("/static/a.css");
            assertThat(app.received()).hasSize(1);
        }
    }
}
