package io.edgegate.dataplane.filter.resultbuilder;

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

/** ResultBuilder picks the flow's path from a template; aliases let one filter run at two steps. */
class ResultBuilderTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void theRenderedResultChoosesTheStepAndUnknownTextIsUnknown() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend gold = EchoBackend.start("gold"); EchoBackend standard = EchoBackend.start("standard")) {
            node.apply(server("s", port, "p"), """
                    name: p
                    kind: Pipeline
                    flow:
                    - filter: tier
                      jumpIf: {result0: proxy-gold, result1: END, unknown: refuse}
                    - filter: proxy-standard
                    - filter: END
                    - filter: proxy-gold
                    - filter: END
                    - filter: reply
                      alias: refuse
                    filters:
                    - name: tier
                      kind: ResultBuilder
                      template: |
                        {{- $tier := .req.Header.Get "X-Tier" -}}
                        {{if eq $tier "gold"}}result0{{else if eq $tier "none"}}result1{{else if $tier}}{{$tier}}{{end}}
                    - name: proxy-gold
                      kind: Proxy
                      pools: [{servers: [{url: %s}]}]
                    - name: proxy-standard
                      kind: Proxy
                      pools: [{servers: [{url: %s}]}]
                    - name: reply
                      kind: ResponseBuilder
                      template: |
                        statusCode: 400
                        body: unknown tier {{.req.Header.Get "X-Tier"}}
                    """.formatted(gold.url(), standard.url()));

            assertThat(tier(port, "gold").headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("gold");
            assertThat(tier(port, null).headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("standard");
            // Ended on END with no response set: Easegress v2 answers 503 (its HTTPServer finds no response).
            HttpResponse<String> none = tier(port, "none");
            assertThat(none.statusCode()).isEqualTo(503);
            assertThat(none.body()).isEmpty();
            HttpResponse<String> odd = tier(port, "platinum");
            assertThat(odd.statusCode()).isEqualTo(400);
            assertThat(odd.body()).isEqualTo("unknown tier platinum");
            // As yaml.v3 reads a scalar into a Go string: 1 and yes are text, so unknown results, not build errors.
            assertThat(tier(port, "1").body()).isEqualTo("unknown tier 1");
            assertThat(tier(port, "yes").body()).isEqualTo("unknown tier yes");
            assertThat(gold.received()).hasSize(1);
            assertThat(standard.received()).hasSize(1);
        }
    }

    @Test
    void theExampleRoutesByTier() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend gold = EchoBackend.start("gold"); EchoBackend standard = EchoBackend.start("standard")) {
            node.apply(server("s", port, "tiers"), io.edgegate.dataplane.LocalNode.example("filters/result-builder.yaml", gold.url(), standard.url()));

            assertThat(tier(port, "gold").headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("gold");
            assertThat(tier(port, null).headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("standard");
            assertThat(tier(port, "bronze").body()).isEqualTo("unknown tier bronze");
        }
    }

    private static HttpResponse<String> tier(int port, String tier) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"));
        if (tier != null) {
            request.header("X-Tier", tier);
        }
        return node.send(request.build());
    }
}
