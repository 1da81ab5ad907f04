package io.edgegate.dataplane.filter.redirectorv2;

import static io.edgegate.dataplane.LocalNode.example;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RedirectorV2 through a real listener: Location built from the route's prefix, the scheme, the host and the query. */
class RedirectorV2Test {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static String server(int port, String pipeline) {
        return """
                kind: HTTPServer
                name: s
                port: %d
                rules:
                - paths:
                  - pathPrefix: /users
                    backend: %s
                  - pathPrefix: /
                    backend: %s
                """.formatted(port, pipeline, pipeline);
    }

    private static HttpResponse<String> get(int port, String path) {
        return node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build());
    }

    @Test
    void theRoutesPrefixIsReplacedAndTheQueryKept() throws Exception {
        int port = FreePorts.pick();
        node.apply(server(port, "redirector-v2"), example("filters/redirector-v2.yaml"));

        HttpResponse<String> users = get(port, "/users/7?tab=orders");
        HttpResponse<String> other = get(port, "/about");

        assertThat(users.statusCode()).isEqualTo(301);
        assertThat(users.headers().firstValue("Location")).hasValue("https://newdomain.com/account/7?tab=orders");
        assertThat(users.body()).isEqualTo("Moved Permanently");
        // The "/" route's prefix is "/": replaced by /account too, as Easegress's strings.Replace does.
        assertThat(other.headers().firstValue("Location")).hasValue("https://newdomain.com/account" + "about");
    }

    @Test
    void aFullPathWithTheDefault302AndAnUnchangedUrlPassesOn() throws Exception {
        int port = FreePorts.pick();
        node.apply(server(port, "p"), """
                name: p
                kind: Pipeline
                flow:
                - filter: redirect
                - filter: answer
                filters:
                - name: redirect
                  kind: RedirectorV2
                  path:
                    type: ReplaceFullPath
                    replaceFullPath: /full-path
                - name: answer
                  kind: Mock
                  rules:
                  - code: 200
                    body: not redirected
                """);

        HttpResponse<String> moved = get(port, "/anything?x=1");
        HttpResponse<String> same = get(port, "/full-path");

        assertThat(moved.statusCode()).isEqualTo(302);
        assertThat(moved.headers().firstValue("Location")).hasValue("/full-path?x=1");
        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(same.body()).isEqualTo("not redirected");
    }
}
