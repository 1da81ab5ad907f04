package io.edgegate.dataplane.server;

import static io.edgegate.dataplane.LocalNode.example;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server's GlobalFilter: its before pipeline can stop a request; its after pipeline changes every answer. */
class GlobalFilterTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static String server(int port) {
        return """
                kind: HTTPServer
                name: s
                port: %d
                globalFilter: global-filter-example
                rules:
                - paths:
                  - pathPrefix: /
                    backend: pipeline-reverse-proxy
                """.formatted(port);
    }

    private static HttpResponse<String> get(int port, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"));
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        return node.send(request.build());
    }

    @Test
    void beforeRefusesAndAfterStampsAsEasegressRunsThem() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server(port), example("global-filter.yaml"), example("pipeline-reverse-proxy.yaml", app.url(), app.url(), app.url()));

            HttpResponse<String> allowed = get(port, "abcd1234");
            HttpResponse<String> refused = get(port, null);

            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.body()).startsWith("app\nGET /orders");
            assertThat(allowed.headers().firstValue("X-Served-By")).hasValue("edgegate");
            assertThat(refused.statusCode()).as("a failed header rule, as Easegress answers it").isEqualTo(400);
            assertThat(refused.headers().firstValue("X-Served-By")).isEmpty();
            assertThat(app.received()).hasSize(1);
        }
    }

    @Test
    void fallthroughRunsTheRestAfterARefusal() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server(port), example("global-filter.yaml").replace("beforePipeline: false", "beforePipeline: true"),
                    example("pipeline-reverse-proxy.yaml", app.url(), app.url(), app.url()));

            HttpResponse<String> refusedButFallenThrough = get(port, null);

            assertThat(refusedButFallenThrough.statusCode()).isEqualTo(200);
            assertThat(refusedButFallenThrough.headers().firstValue("X-Served-By")).hasValue("edgegate");
            assertThat(app.received()).hasSize(1);
        }
    }

    /**
     * As Easegress runs a GlobalFilter's pipelines, within the request's: a before pipeline working in a namespace of
     * its own leaves the request's pipeline in DEFAULT (it answered from the namespace before), and it sees the
     * request's pipeline's data as .data.PIPELINE.
     */
    @Test
    void aBeforePipelinesNamespaceDoesNotCarryOverAndItSeesThePipelinesData() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app"); EchoBackend audit = EchoBackend.start("audit")) {
            String global = """
                    kind: GlobalFilter
                    name: audited
                    beforePipeline:
                      flow:
                      - filter: copy
                        namespace: audit
                      - filter: auditProxy
                        namespace: audit
                      filters:
                      - name: copy
                        kind: RequestBuilder
                        template: |
                          method: GET
                          url: /audit
                          headers:
                            X-Tier: ["{{.data.PIPELINE.tier}}"]
                      - name: auditProxy
                        kind: Proxy
                        pools:
                        - servers:
                          - url: %s
                    """.formatted(audit.url());
            String pipeline = """
                    kind: Pipeline
                    name: p
                    data:
                      tier: gold
                    filters:
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers:
                        - url: %s
                    """.formatted(app.url());
            node.apply(server(port).replace("global-filter-example", "audited").replace("pipeline-reverse-proxy", "p"), global, pipeline);

            HttpResponse<String> answer = get(port, null);

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).startsWith("app\nGET /orders");
            assertThat(app.received()).hasSize(1);
            assertThat(audit.received()).hasSize(1);
            assertThat(audit.received().get(0).header("X-Tier")).isEqualTo("gold");
        }
    }

    @Test
    void aServerNamingNoSuchGlobalFilterServesWithoutOne() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server(port), example("pipeline-reverse-proxy.yaml", app.url(), app.url(), app.url()));

            assertThat(get(port, null).statusCode()).isEqualTo(200);
        }
    }
}
