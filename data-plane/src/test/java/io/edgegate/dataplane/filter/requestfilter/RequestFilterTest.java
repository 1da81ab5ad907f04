package io.edgegate.dataplane.filter.requestfilter;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.server.RawClient;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** examples/filters/request-filter.yaml against probes and ordinary traffic. */
class RequestFilterTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static final int PORT = FreePorts.pick();
    private static EchoBackend app;

    @BeforeAll
    static void start() throws Exception {
        app = EchoBackend.start("app");
        node.apply(server("s", PORT, "waf-demo"), example("filters/request-filter.yaml", app.url()));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static int status(String target, String... headers) throws Exception {
        try (RawClient client = new RawClient(PORT)) {
            StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: shop\r\n");
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            client.write(request.append("\r\n").toString());
            return Integer.parseInt(client.readResponse().substring(9, 12));
        }
    }

    private static int post(String body) {
        return node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/comments"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()).statusCode();
    }

    @Test
    void builtInProbesAreRefusedAndNeverReachTheApplication() throws Exception {
        int before = app.received().size();

        assertThat(status("/products?id=1%27%20OR%20%271%27%3D%271")).isEqualTo(403);
        assertThat(status("/search?q=1+UNION+ALL+SELECT+password+FROM+users")).isEqualTo(403);
        assertThat(status("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")).isEqualTo(403);
        assertThat(status("/static/%252e%252e%252f%252e%252e%252fetc%252fpasswd")).isEqualTo(403);
        assertThat(post("comment=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")).isEqualTo(403);
        assertThat(app.received()).hasSize(before);
    }

    @Test
    void ownRulesApplyAndOrdinaryRequestsPass() throws Exception {
        assertThat(status("/admin/users", "User-Agent: sqlmap/1.7")).isEqualTo(403);
        assertThat(status("/admin/users", "User-Agent: Mozilla/5.0")).isEqualTo(200);
        assertThat(status("/report?x=2&debug=1")).isEqualTo(403);
        assertThat(status("/search?q=union+station+select+seats")).isEqualTo(200);
        assertThat(status("/products?id=42&sort=price")).isEqualTo(200);
        assertThat(post("comment=Great product, would buy again!")).isEqualTo(200);
        assertThat(app.received()).anySatisfy(r -> assertThat(r.body()).isEqualTo("comment=Great product, would buy again!"));
    }
}
