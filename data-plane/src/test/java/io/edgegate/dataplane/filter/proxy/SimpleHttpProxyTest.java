package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SimpleHTTPProxy: to a URL a RequestBuilder made, and as a forward proxy for a real client configured to use it. */
class SimpleHttpProxyTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void aBuiltRequestGoesToItsUrlAndASlowOneTimesOut() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "simple-http-proxy"), example("filters/simple-http-proxy.yaml", app.url()));

            HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/items?x=1")).build());
            HttpResponse<String> slow = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow?delay=2000")).build());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("app\nGET /items?x=1");
            assertThat(app.received().get(0).header("Host")).isEqualTo(app.url().substring("http://".length()));
            assertThat(slow.statusCode()).isEqualTo(504);
        }
    }

    @Test
    void asAForwardProxyItSendsAbsoluteUrlsToTheirHosts() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "forward"), """
                    name: forward
                    kind: Pipeline
                    filters:
                    - name: forward-proxy
                      kind: SimpleHTTPProxy
                      serverMaxBodySize: -1
                    """);
            HttpClient viaProxy = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port))).build();

            HttpResponse<String> response = viaProxy.send(HttpRequest.newBuilder(URI.create(app.url() + "/page")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("app\nGET /page");
        }
    }
}
