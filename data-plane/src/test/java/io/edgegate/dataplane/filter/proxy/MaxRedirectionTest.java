package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Proxy's maxRedirection (Easegress): redirects followed by Go's client rules, up to the limit. */
class MaxRedirectionTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static String pipeline(EchoBackend app, String maxRedirection) {
        return """
                name: p
                kind: Pipeline
                flow:
                - filter: proxy
                filters:
                - name: proxy
                  kind: Proxy
                  pools:
                  - servers:
                    - url: %s
                %s
                """.formatted(app.url(), maxRedirection);
    }

    private static HttpResponse<String> send(int port, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (body != null) {
            request.POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return node.send(request.build());
    }

    @Test
    void redirectsAreFollowedUpToTheLimitAndAPostBecomesAGet() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "max-redirection"), io.edgegate.dataplane.LocalNode.example("filters/max-redirection.yaml", app.url()));

            HttpResponse<String> followed = send(port, "/start?redirect=/final", null);
            HttpResponse<String> posted = send(port, "/form?redirect=/thanks", "name=ada");
            // Two redirects: /a → /b?redirect=/c → /c, within 2.
            HttpResponse<String> twice = send(port, "/a?redirect=%2Fb%3Fredirect%3D%2Fc", null);

            assertThat(followed.statusCode()).isEqualTo(200);
            assertThat(followed.body()).startsWith("app\nGET /final");
            assertThat(posted.statusCode()).isEqualTo(200);
            assertThat(posted.body()).startsWith("app\nGET /thanks");
            assertThat(app.received().get(3).method()).isEqualTo("GET");
            assertThat(app.received().get(3).body()).isEmpty();
            assertThat(app.received().get(3).header("Content-Length")).isIn(null, "0");
            assertThat(twice.body()).startsWith("app\nGET /c");
        }
    }

    @Test
    void oneRedirectTooManyFailsAndWithoutTheFieldTheRedirectReachesTheClient() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "p"), pipeline(app, "  maxRedirection: 1"));
            HttpResponse<String> tooMany = send(port, "/a?redirect=%2Fb%3Fredirect%3D%2Fc", null);
            node.apply(server("s", port, "p"), pipeline(app, ""));
            HttpResponse<String> passed = send(port, "/start?redirect=/final", null);

            assertThat(tooMany.statusCode()).isEqualTo(502);
            assertThat(passed.statusCode()).isEqualTo(302);
            assertThat(passed.headers().firstValue("Location")).hasValue("http://127.0.0.1:" + port + "/final");
        }
    }
}
