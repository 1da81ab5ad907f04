package io.edgegate.dataplane.server;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the upstream of an HTTP/2 request receives: the client's headers, and none of the HTTP/2 conversion's own. */
class Http2ForwardingTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void theUpstreamGetsTheClientsHeadersWithoutTheConversionsExtensionHeaders() throws Exception {
        try (EchoBackend app = EchoBackend.start("h2-app")) {
            int port = FreePorts.pick();
            node.apply(server("h2", port, "h2-proxy"), proxyPipeline("h2-proxy", "roundRobin", app.url()));
            try (Http2TestClient client = new Http2TestClient(port)) {
                for (int i = 0; i < 3; i++) {
                    Http2Headers headers = new DefaultHttp2Headers().method("GET").path("/items/" + i + "?page=2").scheme("http")
                            .authority("shop.example").add("x-order", "o-" + i).add("accept", "text/plain")
                            // A client's header in the conversion's namespace goes the same way as the conversion's own.
                            .add("x-http2-stream-id", "99");
                    assertThat(client.request(headers)).isEqualTo("status 200");
                }
            }
            List<EchoBackend.ReceivedRequest> received = app.received();
            assertThat(received).hasSize(3);
            for (int i = 0; i < 3; i++) {
                EchoBackend.ReceivedRequest request = received.get(i);
                assertThat(request.uri()).isEqualTo("/items/" + i + "?page=2");
                assertThat(request.header("x-order")).isEqualTo("o-" + i);
                assertThat(request.header("accept")).isEqualTo("text/plain");
                assertThat(request.header("x-forwarded-host")).isEqualTo("shop.example");
                assertThat(request.header("x-forwarded-proto")).isEqualTo("http");
                assertThat(request.headers().keySet()).noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("x-http2-"));
            }
        }
    }
}
