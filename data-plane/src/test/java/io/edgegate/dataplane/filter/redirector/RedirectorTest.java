package io.edgegate.dataplane.filter.redirector;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.server.RawClient;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedirectorTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void theExampleSendsPlainHttpToHttpsWithHostPathAndQueryKept() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("http", port, "redirect-to-https"), example("filters/redirect-to-https.yaml"));

        try (RawClient client = new RawClient(port)) {
            client.write("GET /cart?item=7 HTTP/1.1\r\nHost: shop.example:" + port + "\r\n\r\n");
            assertThat(client.readResponse())
                    .startsWith("HTTP/1.1 301")
                    .contains("location: https://shop.example/cart?item=7")
                    .as("Easegress's body: the reason phrase").endsWith("\r\n\r\nMoved Permanently");
        }
    }

    @Test
    void aPathRuleRedirectsToItsReplacementAloneAndOthersPassThrough() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("moves", port, "moves"), """
                    name: moves
                    kind: HTTPPipeline
                    flow:
                    - filter: moved
                      jumpIf: {redirected: END}
                    - filter: proxy
                    filters:
                    - name: moved
                      kind: Redirector
                      matchPart: path
                      match: '^/old/(?P<rest>.*)$'
                      replacement: '/new/${rest}'
                      statusCode: 308
                    - name: proxy
                      kind: Proxy
                      mainPool:
                        servers:
                        - url: %s
                    """.formatted(app.url()));

            try (RawClient client = new RawClient(port)) {
                // As Easegress: matchPart path replaces the path, and the Location is that replacement.
                assertThat(client.get("/old/a/b?x=1")).startsWith("HTTP/1.1 308").contains("location: /new/a/b\r\n");
                // Matched decoded, as Go's URL.Path: an escaped path does not slip past the redirect.
                assertThat(client.get("/%6Fld/a")).startsWith("HTTP/1.1 308").contains("location: /new/a\r\n");
                // What the decoded path holds beyond ASCII goes out encoded again, never as raw bytes.
                assertThat(client.get("/old/caf%C3%A9%20x")).startsWith("HTTP/1.1 308").contains("location: /new/caf%C3%A9%20x\r\n");
                assertThat(client.get("/current")).startsWith("HTTP/1.1 200").contains("X-Echo-Backend: app");
            }
        }
    }

    @Test
    void aReplacementThatChangesNothingIsNoRedirectSoACanonicalUrlDoesNotLoop() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("canonical", port, "canonical"), """
                    name: canonical
                    kind: Pipeline
                    flow:
                    - filter: canonical
                      jumpIf: {redirected: END}
                    - filter: query
                      jumpIf: {redirected: END}
                    - filter: proxy
                    filters:
                    - name: canonical
                      kind: Redirector
                      matchPart: full
                      match: '^http://(?:www\\.)?test(.*)$'
                      replacement: 'http://test$1'
                    - name: query
                      kind: Redirector
                      matchPart: path
                      match: '^/users/([0-9]+)$'
                      replacement: 'http://127.0.0.1:%d/display?user=$1'
                      statusCode: 302
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers:
                        - url: %s
                    """.formatted(port, app.url()));

            try (RawClient client = new RawClient(port)) {
                client.write("GET /display HTTP/1.1\r\nHost: www.test\r\n\r\n");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 301").contains("location: http://test/display\r\n");
                // Already canonical: the first Redirector's replacement is the URL itself, so it passes.
                assertThat(client.get("/display")).startsWith("HTTP/1.1 200").contains("X-Echo-Backend: app");
                // The documented Easegress example: the replacement carries its own query, nothing is appended.
                assertThat(client.get("/users/123?src=a")).startsWith("HTTP/1.1 302")
                        .contains("location: http://127.0.0.1:" + port + "/display?user=123\r\n");
            }
        }
    }
}
