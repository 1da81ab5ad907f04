package io.edgegate.dataplane.filter.headertojson;

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

/** HeaderToJSON puts headers into the body the backend receives, as Easegress writes it. */
class HeaderToJsonTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void headersAreMergedIntoObjectsArraysAndEmptyBodies() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "header-to-json"), example("filters/header-to-json.yaml", app.url()));

            post(port, "{\"order\": 12, \"price\": 1.50, \"userId\": \"spoofed\"}");
            post(port, "[{\"a\": 1}, {\"b\": true}]");
            post(port, "");
            HttpResponse<String> notJson = post(port, "user=ada");
            HttpResponse<String> untouched = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .POST(HttpRequest.BodyPublishers.ofString("not json, no headers")).build());

            assertThat(app.received().get(0).body()).isEqualTo("{\"order\":12,\"price\":1.5,\"tenant\":\"acme\",\"userId\":\"u-1\"}");
            assertThat(app.received().get(0).header("Content-Length")).isEqualTo(Integer.toString(app.received().get(0).body().length()));
            assertThat(app.received().get(1).body())
                    .isEqualTo("[{\"a\":1,\"tenant\":\"acme\",\"userId\":\"u-1\"},{\"b\":true,\"tenant\":\"acme\",\"userId\":\"u-1\"}]");
            assertThat(app.received().get(2).body()).isEqualTo("{\"tenant\":\"acme\",\"userId\":\"u-1\"}");
            // Easegress's filter answers nothing: the flow ends on jsonEncodeDecodeErr, the server's empty 503.
            assertThat(notJson.statusCode()).isEqualTo(503);
            assertThat(notJson.body()).isEmpty();
            assertThat(untouched.statusCode()).isEqualTo(200);
            assertThat(app.received()).hasSize(4);
            assertThat(app.received().get(3).body()).isEqualTo("not json, no headers");
        }
    }

    @Test
    void aBodyOverFourMegabytesEndsTheFlowAndJumpIfCanGoOnWithTheBodyAsItCame() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply("""
                    kind: HTTPServer
                    name: big
                    port: %d
                    clientMaxBodySize: 16777216
                    rules:
                    - paths:
                      - pathPrefix: /strict
                        backend: strict
                      - pathPrefix: /
                        backend: lenient
                    """.formatted(port), """
                    kind: Pipeline
                    name: strict
                    flow: [{filter: to-json}, {filter: proxy}]
                    filters:
                    - {name: to-json, kind: HeaderToJSON, headerMap: [{header: X-User-Id, json: userId}]}
                    - {name: proxy, kind: Proxy, pools: [{servers: [{url: %s}]}]}
                    """.formatted(app.url()), """
                    kind: Pipeline
                    name: lenient
                    flow:
                    - filter: to-json
                      jumpIf: {jsonEncodeDecodeErr: proxy}
                    - filter: proxy
                    filters:
                    - {name: to-json, kind: HeaderToJSON, headerMap: [{header: X-User-Id, json: userId}]}
                    - {name: proxy, kind: Proxy, pools: [{servers: [{url: %s}]}]}
                    """.formatted(app.url()));

            HttpResponse<String> big = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/strict"))
                    .header("X-User-Id", "u-1").POST(HttpRequest.BodyPublishers.ofString("{\"a\":\"" + "x".repeat(5 << 20) + "\"}")).build());
            HttpResponse<String> goesOn = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("X-User-Id", "u-1").POST(HttpRequest.BodyPublishers.ofString("user=ada")).build());

            assertThat(big.statusCode()).isEqualTo(503);
            assertThat(big.body()).isEmpty();
            assertThat(goesOn.statusCode()).isEqualTo(200);
            assertThat(app.received()).hasSize(1);
            assertThat(app.received().get(0).body()).isEqualTo("user=ada");
        }
    }

    private static HttpResponse<String> post(int port, String body) {
        return node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("X-User-Id", "u-1").header("X-Tenant", "acme")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
