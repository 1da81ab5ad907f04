package io.edgegate.dataplane.filter.builder;

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

/**
 * Easegress's API-aggregation tutorial ("Pipeline Explained", examples 1–3), verbatim but for
 * the backend addresses: one request copied into three namespaces, proxied to three services,
 * their answers merged by a ResponseBuilder template.
 */
class ApiAggregationTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static final String FLOW = """
            name: pipeline-api
            kind: Pipeline
            flow:
            - filter: copyRequest
              namespace: demo1
            - filter: copyRequest
              namespace: demo2
            - filter: copyRequest
              namespace: demo3
            - filter: proxy-demo1
              namespace: demo1%s
            - filter: proxy-demo2
              namespace: demo2
            - filter: proxy-demo3
              namespace: demo3
            - filter: buildResponse

            filters:
            - name: copyRequest
              kind: RequestBuilder
              sourceNamespace: DEFAULT
            - name: proxy-demo1
              kind: Proxy
              pools:
              - servers:
                - url: %s
            - name: proxy-demo2
              kind: Proxy
              pools:
              - servers:
                - url: %s
            - name: proxy-demo3
              kind: Proxy
              pools:
              - servers:
                - url: %s
            - name: buildResponse
              kind: ResponseBuilder
              template: |
            %s
            """;

    private static String pipeline(String jump, String template, EchoBackend... demos) {
        String indented = template.stripTrailing().lines().map(line -> "    " + line).reduce((a, b) -> a + "\n" + b).orElse("");
        return FLOW.formatted(jump, demos[0].url(), demos[1].url(), demos[2].url(), indented);
    }

    private static HttpResponse<String> get(int port) throws Exception {
        return node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api")).GET().build());
    }

    @Test
    void threeAnswersAreMergedIntoOneJsonObjectLastKeyWinning() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend demo1 = EchoBackend.start("demo1"); EchoBackend demo2 = EchoBackend.start("demo2");
             EchoBackend demo3 = EchoBackend.start("demo3")) {
            demo1.answerJson("{\"mega\":\"ease\"}");
            demo2.answerJson("{\"hello\":\"world\"}");
            demo3.answerJson("{\"hello\":\"new world\"}");
            node.apply(server("server-demo", port, "pipeline-api"), pipeline("", """
                    statusCode: 200
                    body: |
                      {{mergeObject .responses.demo1.JSONBody .responses.demo2.JSONBody .responses.demo3.JSONBody | toRawJson}}
                    """, demo1, demo2, demo3));

            HttpResponse<String> response = get(port);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"hello\":\"new world\",\"mega\":\"ease\"}\n");
            // Each service got the client's request: the copy carries its method and path.
            assertThat(demo1.received()).singleElement().satisfies(r -> assertThat(r.uri()).isEqualTo("/api"));
            assertThat(demo2.received()).hasSize(1);
            assertThat(demo3.received()).hasSize(1);
        }
    }

    @Test
    void theExampleMergesWhatAnsweredSkipsAServiceThatIsDownAndEndsAtA5xx() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend demo1 = EchoBackend.start("demo1"); EchoBackend demo2 = EchoBackend.start("demo2");
             EchoBackend demo3 = EchoBackend.start("demo3")) {
            demo1.answerJson("{\"mega\":\"ease\",\"nested\":{\"a\":1}}");
            demo2.answerJson("{\"hello\":\"world\",\"nested\":{\"b\":2}}");
            demo3.answerJson("{\"hello\":\"new world\"}");
            node.apply(server("server-demo", port, "pipeline-api"),
                    io.edgegate.dataplane.LocalNode.example("filters/api-aggregation.yaml", demo1.url(), demo2.url(), demo3.url()));

            HttpResponse<String> all = get(port);
            demo1.stop();
            HttpResponse<String> withoutDemo1 = get(port);
            demo3.answerWith(io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND);
            demo2.answerWith(io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND);
            HttpResponse<String> none = get(port);
            demo2.answerWith(io.netty.handler.codec.http.HttpResponseStatus.BAD_GATEWAY);
            int demo3Before = demo3.requestCount();
            HttpResponse<String> failed = get(port);

            assertThat(all.statusCode()).isEqualTo(200);
            assertThat(all.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(all.body()).isEqualTo("{\"hello\":\"new world\",\"mega\":\"ease\",\"nested\":{\"a\":1,\"b\":2}}\n");
            assertThat(withoutDemo1.body()).isEqualTo("{\"hello\":\"new world\",\"nested\":{\"b\":2}}\n");
            assertThat(none.statusCode()).as("no 200 to merge").isEqualTo(503);
            assertThat(none.body()).isEqualTo("{}\n");
            // As Easegress v2: a 5xx is the Proxy's failureCode, which no jumpIf takes here, so the flow ends there, and
            // with no answer in the default namespace the server answers 503.
            assertThat(demo3.requestCount()).as("the flow ended at proxy-demo2").isEqualTo(demo3Before);
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(failed.body()).isNotEqualTo("{}\n");
        }
    }

    @Test
    void bodiesAreListedAndAFailedServiceIsLeftOutWhenTheFlowJumpsPastIt() throws Exception {
        int port = FreePorts.pick();
        String template = """
                statusCode: {{$code := 503}}{{range $resp := .responses}}{{if eq $resp.StatusCode 200}}{{$code = 200}}{{break}}{{end}}{{end}}{{$code}}
                body: |
                  {{$first := true -}}
                  [{{range $resp := .responses -}}
                    {{if eq $resp.StatusCode 200 -}}
                      {{if not $first}},{{end}}{{$resp.Body}}{{$first = false -}}
                    {{- end}}
                  {{- end}}]
                """;
        try (EchoBackend demo1 = EchoBackend.start("demo1"); EchoBackend demo2 = EchoBackend.start("demo2");
             EchoBackend demo3 = EchoBackend.start("demo3")) {
            demo1.answerJson("{\"mega\":\"ease\"}");
            demo2.answerJson("{\"hello\":\"world\"}");
            demo3.answerJson("{\"hello\":\"new world\"}");
            node.apply(server("server-demo", port, "pipeline-api"),
                    pipeline("\n  jumpIf: { serverError: proxy-demo2 }", template, demo1, demo2, demo3));

            HttpResponse<String> all = get(port);
            // demo1 gone: its Proxy returns serverError and the flow jumps past it.
            demo1.stop();
            HttpResponse<String> withoutDemo1 = get(port);

            assertThat(all.statusCode()).isEqualTo(200);
            assertThat(all.body()).isEqualTo("[{\"mega\":\"ease\"},{\"hello\":\"world\"},{\"hello\":\"new world\"}]\n");
            assertThat(withoutDemo1.statusCode()).isEqualTo(200);
            assertThat(withoutDemo1.body()).isEqualTo("[{\"hello\":\"world\"},{\"hello\":\"new world\"}]\n");
        }
    }
}
