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

/** setHeaders with NGINX-style variables: what the backend receives. */
class SetHeadersTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void variablesAreFilledFromTheRequestAndEmptyValuesRemoveHeaders() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(example("server/set-headers.yaml").replace("port: 10080", "port: " + port),
                    example("pipeline-reverse-proxy.yaml", app.url(), app.url(), app.url()));

            node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders/7?version=v2"))
                    .header("User-Agent", "tester/3").header("Cookie", "a=1; session=s-42").header("X-Debug", "on").build());
            node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pl%61in")).build());

            EchoBackend.ReceivedRequest first = app.received().get(0);
            assertThat(first.header("X-Method")).isEqualTo("GET");
            assertThat(first.header("X-Path")).isEqualTo("/orders/7");
            assertThat(first.header("X-Client-IP")).isEqualTo("127.0.0.1");
            assertThat(first.header("X-Version")).isEqualTo("v2");
            assertThat(first.header("X-Backend-URL")).isEqualTo("http://127.0.0.1-backend/orders/7");
            assertThat(first.header("X-Agent")).isEqualTo("tester/3");
            assertThat(first.header("X-Session")).isEqualTo("s-42");
            assertThat(first.header("X-Debug")).isNull();
            EchoBackend.ReceivedRequest second = app.received().get(1);
            assertThat(second.header("X-Version")).isEqualTo("v1.0");
            // As Easegress: a variable that came out empty sets the header empty (only a value written empty removes
            // it), and $uri is the decoded path (Go's URL.Path).
            assertThat(second.header("X-Session")).isEmpty();
            assertThat(second.header("X-Path")).isEqualTo("/plain");

            // A decoded query value carrying CR LF never becomes a header (nor splits one).
            node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x?version=a%0d%0aX-Injected:%201")).build());
            EchoBackend.ReceivedRequest third = app.received().get(2);
            assertThat(third.header("X-Version")).isNull();
            assertThat(third.header("X-Injected")).isNull();
            assertThat(third.header("X-Method")).isEqualTo("GET");
        }
    }
}
