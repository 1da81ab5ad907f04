package io.edgegate.dataplane.filter.databuilder;

import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pipeline's data and what DataBuilders store reach later templates as .data. */
class DataBuilderTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void pipelineDataAndBuiltDataAreSeenByLaterTemplates() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "p"), """
                name: p
                kind: Pipeline
                data:
                  greeting: hello
                  limits: {count: 3}
                  languages:
                    en: {text: Hello}
                    fr: {text: Bonjour}
                flow:
                - filter: user
                - filter: reply
                filters:
                - name: user
                  kind: DataBuilder
                  dataKey: user
                  template: |
                    name: {{.req.URL.Query.Get "name" | default "nobody"}}
                    visits: {{add 1 2}}
                    id: 1234567
                    country: NO
                - name: reply
                  kind: ResponseBuilder
                  template: |
                    headers:
                      Content-Type: [text/plain]
                    body: >-
                      {{.data.PIPELINE.greeting}} {{.data.user.name}}, visit {{.data.user.visits}} of {{.data.PIPELINE.limits.count}},
                      {{(get .data.PIPELINE.languages (.req.Header.Get "Accept-Language")).text | default "?"}}, {{.data.user.id}} {{.data.user.country}}
                """);

        HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?name=ada"))
                .header("Accept-Language", "fr").build());

        assertThat(response.statusCode()).isEqualTo(200);
        // As Easegress's yaml.v3: built integers stay whole (1234567, not 1.234567e+06) and NO is a string, not false.
        assertThat(response.body()).isEqualTo("hello ada, visit 3 of 3, Bonjour, 1234567 NO");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
    }

    @Test
    void builtNumbersAreReadAsGoReadsThem() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "p"), """
                name: p
                kind: Pipeline
                flow:
                - filter: numbers
                - filter: reply
                filters:
                - name: numbers
                  kind: DataBuilder
                  dataKey: n
                  template: |
                    octal: 0o17
                    upperHex: 0X1f
                    grouped: 1_000
                    signedBinary: +0b11
                    leadingUnderscore: _5
                    prefixOnly: 0x
                    badOctal: 0o8
                    notOctal: 09
                    huge: 18446744073709551615
                - name: reply
                  kind: ResponseBuilder
                  template: |
                    body: "{{.data.n.octal}} {{.data.n.upperHex}} {{.data.n.grouped}} {{.data.n.signedBinary}} {{.data.n.leadingUnderscore}} {{.data.n.prefixOnly}} {{.data.n.badOctal}} {{.data.n.notOctal}} {{.data.n.huge}}"
                """);

        HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build());

        // yaml.v3 drops underscores and tries Go's ParseInt with base 0 (0b, 0o, 0x in either case, a leading 0 octal),
        // then ParseUint, then a decimal float; text that none of them reads stays a string. Above 2^63 Go keeps a uint64,
        // which the templates here cannot hold: a float, not a wrapped negative number.
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("15 31 1000 3 _5 0x 0o8 9 1.8446744073709552e+19");
    }

    @Test
    void theExampleGreetsInTheClientsLanguage() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "greetings"), io.edgegate.dataplane.LocalNode.example("filters/data-builder.yaml"));

        HttpResponse<String> french = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?name=ada"))
                .header("Accept-Language", "fr").build());
        HttpResponse<String> unknown = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build());

        assertThat(french.body()).isEqualTo("Bonjour ada");
        assertThat(unknown.body()).isEqualTo("Hi nobody");
    }
}
