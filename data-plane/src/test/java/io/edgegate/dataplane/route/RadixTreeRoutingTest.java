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

/** The RadixTree example through a real listener: which path won shows in what the backend is asked for. */
class RadixTreeRoutingTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void theMostSpecificPathRewritesTheRequest() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(example("server/radix-tree.yaml").replace("port: 10080", "port: " + port),
                    example("pipeline-reverse-proxy.yaml", app.url(), app.url(), app.url()));
            String[][] cases = {
                {"/users/aniaan/hovercard?tab=1", "/api/users/aniaan/pinned-card?tab=1"},
                {"/users/bob/hovercard", "/api/users/bob/profile-card"},
                {"/users/bob42/hovercard", "/api/users/bob42/card"},
                {"/users/bob42/repos/1", "/api/users/bob42/repos/1"},
            };
            for (String[] c : cases) {
                assertThat(node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + c[0])).build()).statusCode())
                        .isEqualTo(200);
            }
            assertThat(app.received()).extracting(EchoBackend.ReceivedRequest::uri)
                    .containsExactly(java.util.Arrays.stream(cases).map(c -> c[1]).toArray(String[]::new));
            assertThat(node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/users")).build()).statusCode())
                    .isEqualTo(404);
        }
    }
}
