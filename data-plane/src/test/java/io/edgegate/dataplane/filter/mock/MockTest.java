package io.edgegate.dataplane.filter.mock;

import static io.edgegate.dataplane.LocalNode.example;
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

/** examples/filters/mock.yaml as written, through a real listener. */
class MockTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void matchingRulesAnswerAndTheRestReachesTheProxy() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "mock-demo"), example("filters/mock.yaml", app.url()));

            HttpResponse<String> health = node.get(port, "/healthz");
            long start = System.nanoTime();
            HttpResponse<String> user = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/users/1"))
                    .header("X-Mock", "on").build());
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            HttpResponse<String> notMocked = node.get(port, "/api/users/1");

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok");
            // No Content-Type configured: typed as Go's server types the body Easegress sends.
            assertThat(health.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            assertThat(user.body()).isEqualTo("{\"id\": 1, \"name\": \"alice\"}");
            assertThat(user.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(tookMillis).isGreaterThanOrEqualTo(100);
            assertThat(notMocked.headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("app");
            assertThat(app.received()).extracting(EchoBackend.ReceivedRequest::uri).containsExactly("/api/users/1");
        }
    }

    @Test
    void aRuleMatchesItsPathOrItsPrefixAndAnyValueOfARepeatedHeaderAsEasegressDoes() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "mocks"), """
                    name: mocks
                    kind: Pipeline
                    flow:
                    - filter: mock
                      jumpIf: {mocked: END}
                    - filter: proxy
                    filters:
                    - name: mock
                      kind: Mock
                      rules:
                      - match: {path: /health, pathPrefix: /mock/}
                        code: 200
                        body: by-path
                      - match:
                          headers:
                            X-Flag: {exact: enabled}
                        code: 202
                        body: by-header
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers:
                        - url: %s
                    """.formatted(app.url()));

            assertThat(node.get(port, "/health").body()).isEqualTo("by-path");
            assertThat(node.get(port, "/mock/a").body()).isEqualTo("by-path");
            assertThat(node.get(port, "/other").headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("app");
            try (io.edgegate.dataplane.server.RawClient client = new io.edgegate.dataplane.server.RawClient(port)) {
                client.write("GET /other HTTP/1.1\r\nHost: x\r\nX-Flag: disabled\r\nX-Flag: enabled\r\n\r\n");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 202").endsWith("by-header");
            }
        }
    }

    @Test
    void aHeaderNotSentMatchesOnlyEmptyAndOneSentEmptyDoesNotAsEasegressDoes() throws Exception {
        // A "header present" rule (regex .*) mocked every request; "empty: true" matched a header sent empty.
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "mocks"), """
                    name: mocks
                    kind: Pipeline
                    flow:
                    - filter: mock
                      jumpIf: {mocked: END}
                    - filter: proxy
                    filters:
                    - name: mock
                      kind: Mock
                      rules:
                      - match:
                          headers:
                            X-Mock: {regex: ".*"}
                        code: 200
                        body: present
                      - match:
                          headers:
                            X-Absent: {empty: true}
                        code: 200
                        body: absent
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers:
                        - url: %s
                    """.formatted(app.url()));

            try (io.edgegate.dataplane.server.RawClient client = new io.edgegate.dataplane.server.RawClient(port)) {
                client.write("GET /a HTTP/1.1\r\nHost: x\r\nX-Mock: \r\n\r\n");
                assertThat(client.readResponse()).endsWith("present");
                client.write("GET /b HTTP/1.1\r\nHost: x\r\nX-Absent: \r\n\r\n");
                assertThat(client.readResponse()).as("sent, though empty: not absent").contains(EchoBackend.NAME_HEADER);
                client.write("GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(client.readResponse()).endsWith("absent");
            }
        }
    }
}
