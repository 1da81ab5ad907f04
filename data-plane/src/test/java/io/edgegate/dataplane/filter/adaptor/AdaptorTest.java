package io.edgegate.dataplane.filter.adaptor;

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

/** Request and response adaptors through a real listener: what the backend received and what the client got. */
class AdaptorTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void theExampleReshapesTheRequestAndTheAnswer() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "adaptor-demo"), example("filters/adaptors.yaml", app.url()));

            HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/users/42?full=1"))
                    .header("Cookie", "secret=1").build());

            EchoBackend.ReceivedRequest received = app.received().get(0);
            assertThat(received.uri()).isEqualTo("/users/42?full=1");
            assertThat(received.header("X-User-Id")).isEqualTo("42");
            assertThat(received.header("X-Client-Ip")).isEqualTo("127.0.0.1");
            assertThat(received.header("X-Via")).isEqualTo("edgegate");
            assertThat(received.header("Cookie")).isNull();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Served-Route")).hasValue("GET /users/42");
        }
    }

    @Test
    void aPathIsAdaptedAsDecodedAsEasegressAdaptsGosUrlPath() throws Exception {
        // Routing matched /%61pi/v1 as /api/v1, and the trimPrefix missed it: the upstream got /%61pi/v1/users/42.
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "adaptor-demo"), example("filters/adaptors.yaml", app.url()));

            node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/%61pi/v1/users/42?full=1")).build());
            node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/caf%C3%A9%20menu")).build());

            assertThat(app.received().get(0).uri()).isEqualTo("/users/42?full=1");
            assertThat(app.received().get(1).uri()).as("escaped again as Go escapes a path").isEqualTo("/caf%C3%A9%20menu");
        }
    }

    @Test
    void easegressV2TemplatesRenderTheChangesAndReplaceTheStaticOnes() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "adaptor-templates"), example("filters/adaptor-templates.yaml", app.url()));

            HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/items"))
                    .header("X-Version", "2").POST(HttpRequest.BodyPublishers.ofString("payload")).build());

            EchoBackend.ReceivedRequest received = app.received().get(0);
            // The rendered method and header replace the static ones; the static del is replaced by the rendered header.
            assertThat(received.method()).isEqualTo("POST");
            assertThat(received.uri()).isEqualTo("/v2/items");
            assertThat(received.header("X-Original-Host")).isEqualTo("127.0.0.1:" + port);
            assertThat(received.header("X-Version")).isEqualTo("2");
            assertThat(response.body()).isEqualTo("upstream said 200: app | POST /v2/items");
            assertThat(response.headers().firstValue("X-Static")).hasValue("kept");
        }
    }

    @Test
    void aResponseAdaptorBeforeAnyAnswerEndsAV2FlowWithResponseNotFoundButEditsTheV1Answer() throws Exception {
        int v2Port = FreePorts.pick();
        int v1Port = FreePorts.pick();
        String flowTail = """
                filters:
                - name: stamp
                  kind: ResponseAdaptor
                  header: {set: {X-Stamp: early}}
                - name: proxy
                  kind: Proxy
                  pools: [{servers: [{url: %s}]}]
                """;
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("v2", v2Port, "v2"), server("v1", v1Port, "v1"), """
                    name: v2
                    kind: Pipeline
                    flow:
                    - filter: stamp
                      jumpIf: {responseNotFound: END}
                    - filter: proxy
                    """ + flowTail.formatted(app.url()), """
                    name: v1
                    kind: HTTPPipeline
                    flow: [{filter: stamp}, {filter: proxy}]
                    """ + flowTail.formatted(app.url()));

            HttpResponse<String> v2 = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + v2Port + "/")).build());
            HttpResponse<String> v1 = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + v1Port + "/")).build());

            // Easegress v2 looks for the answer first: none yet, so the flow ends with no answer, an empty 503.
            assertThat(v2.statusCode()).isEqualTo(503);
            assertThat(v2.body()).isEmpty();
            assertThat(v2.headers().firstValue("X-Stamp")).isEmpty();
            assertThat(v1.statusCode()).isEqualTo(200);
            assertThat(v1.headers().firstValue("X-Stamp")).hasValue("early");
            assertThat(app.received()).hasSize(1);
        }
    }

    @Test
    void braceTextThatNamesNoPlaceholderIsSentAsWrittenAsEasegressSendsStaticValues() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "p"), """
                    name: p
                    kind: Pipeline
                    flow: [{filter: adapt}, {filter: proxy}]
                    filters:
                    - name: adapt
                      kind: RequestAdaptor
                      header:
                        set: {X-Go: '{{.req.Host}}', X-Open: 'a {{ b', X-Mixed: '{{nope}} {{method}}'}
                      body: '{"greeting": "{{ name }}", "via": "{{header.X-Via}}"}'
                    - name: proxy
                      kind: Proxy
                      pools: [{servers: [{url: %s}]}]
                    """.formatted(app.url()));

            HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("X-Via", "edge").build());

            assertThat(response.statusCode()).isEqualTo(200);
            EchoBackend.ReceivedRequest received = app.received().get(0);
            assertThat(received.header("X-Go")).isEqualTo("{{.req.Host}}");
            assertThat(received.header("X-Open")).isEqualTo("a {{ b");
            assertThat(received.header("X-Mixed")).isEqualTo("{{nope}} GET");
            assertThat(received.body()).isEqualTo("{\"greeting\": \"{{ name }}\", \"via\": \"edge\"}");
        }
    }

    @Test
    void aTemplateRenderingNoAdaptorReturnsBuildErr() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "p"), """
                    name: p
                    kind: Pipeline
                    flow:
                    - filter: adapt
                    - filter: proxy
                    filters:
                    - kind: RequestAdaptor
                      name: adapt
                      template: |
                        method: {{.req.Header.Get "X-Method"}}
                        colour: blue
                    - name: proxy
                      kind: Proxy
                      pools: [{servers: [{url: %s}]}]
                    """.formatted(app.url()));

            HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build());

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(app.received()).isEmpty();
        }
    }

    @Test
    void methodHostPathRegexpAndBodyCanBeReplaced() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "p"), """
                    name: p
                    kind: HTTPPipeline
                    flow:
                    - filter: adapt
                    - filter: proxy
                    - filter: answer
                    filters:
                    - name: adapt
                      kind: RequestAdaptor
                      method: POST
                      host: internal.example
                      path:
                        regexpReplace: {regexp: '^/(\\w+)/(\\w+)$', replace: '/$2/$1'}
                      body: '{"user": "{{query.user}}", "agent": "{{header.User-Agent}}"}'
                    - name: proxy
                      kind: Proxy
                      mainPool:
                        servers:
                        - url: %s
                          keepHost: true
                    - name: answer
                      kind: ResponseAdaptor
                      body: 'replaced for {{host}}'
                    """.formatted(app.url()));

            // Flagged gzip: the replaced body is not, and the upstream must not be told it is (as Easegress drops the header).
            HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders/list?user=bob"))
                    .header("User-Agent", "tester/1").header("Content-Encoding", "gzip").GET().build());

            EchoBackend.ReceivedRequest received = app.received().get(0);
            assertThat(received.method()).isEqualTo("POST");
            assertThat(received.uri()).isEqualTo("/list/orders?user=bob");
            assertThat(received.header("Host")).isEqualTo("internal.example");
            assertThat(received.body()).isEqualTo("{\"user\": \"bob\", \"agent\": \"tester/1\"}");
            assertThat(received.header("Content-Encoding")).isNull();
            assertThat(response.body()).isEqualTo("replaced for internal.example");
            assertThat(response.headers().firstValue("Content-Length")).hasValue("29");
        }
    }

    @Test
    void aGzipRequestBodyIsDecodedForTheBackendAndABrokenOneRefused() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "p"), """
                    name: p
                    kind: HTTPPipeline
                    flow:
                    - filter: inflate
                      jumpIf: {decompressFailed: END, readBodyFailed: END}
                    - filter: proxy
                    filters:
                    - name: inflate
                      kind: RequestAdaptor
                      decompress: gzip
                    - name: proxy
                      kind: Proxy
                      mainPool: {servers: [{url: %s}]}
                    """.formatted(app.url()));
            java.io.ByteArrayOutputStream packed = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(packed)) {
                gzip.write("{\"order\": 12}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }

            HttpResponse<String> ok = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                    .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(packed.toByteArray())).build());
            HttpResponse<String> broken = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                    .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofString("not gzip")).build());

            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(app.received().get(0).body()).isEqualTo("{\"order\": 12}");
            assertThat(app.received().get(0).header("Content-Encoding")).isNull();
            assertThat(broken.statusCode()).isEqualTo(400);
            assertThat(app.received()).hasSize(1);
        }
    }

    @Test
    void aRequestAdaptorGzipsABodyThatHasNoEncodingYet() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            // deflate gzips the body, inflate (tested above) must read it back: what the backend gets is the original.
            node.apply(server("s", port, "p"), """
                    name: p
                    kind: HTTPPipeline
                    flow:
                    - filter: deflate
                    - filter: inflate
                      jumpIf: {decompressFailed: END, readBodyFailed: END}
                    - filter: proxy
                    filters:
                    - name: deflate
                      kind: RequestAdaptor
                      compress: gzip
                    - name: inflate
                      kind: RequestAdaptor
                      decompress: gzip
                    - name: proxy
                      kind: Proxy
                      mainPool: {servers: [{url: %s}]}
                    """.formatted(app.url()));
            String order = "{\"order\": 12, \"note\": \"" + "x".repeat(10_000) + "\"}";
            assertThat(node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                    .POST(HttpRequest.BodyPublishers.ofString(order)).build()).statusCode()).isEqualTo(200);
            assertThat(app.received().get(0).body()).isEqualTo(order);

            node.apply(server("s", port, "p"), """
                    name: p
                    kind: HTTPPipeline
                    flow:
                    - filter: deflate
                    - filter: proxy
                    filters:
                    - name: deflate
                      kind: RequestAdaptor
                      compress: gzip
                    - name: proxy
                      kind: Proxy
                      mainPool: {servers: [{url: %s}]}
                    """.formatted(app.url()));
            node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/packed")).POST(HttpRequest.BodyPublishers.ofString(order))
                    .build());
            node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/encoded")).header("Content-Encoding", "br")
                    .POST(HttpRequest.BodyPublishers.ofString("already encoded")).build());
            node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/empty")).build());
            EchoBackend.ReceivedRequest packed = app.received().get(1);
            assertThat(packed.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(packed.body().length()).as("gzipped").isLessThan(order.length() / 10);
            EchoBackend.ReceivedRequest encoded = app.received().get(2);
            assertThat(encoded.header("Content-Encoding")).as("an encoded body is left alone").isEqualTo("br");
            assertThat(encoded.body()).isEqualTo("already encoded");
            EchoBackend.ReceivedRequest empty = app.received().get(3);
            assertThat(empty.header("Content-Encoding")).as("no body, nothing to compress").isNull();
            assertThat(empty.body()).isEmpty();
        }
    }

    @Test
    void aResponseAdaptorGzipsAnAnswerAndAnotherGunzipsItAsItStreams() throws Exception {
        int port = FreePorts.pick();
        String text = "hello, ".repeat(2_000);
        node.apply(server("s", port, "recode"), """
                name: recode
                kind: Pipeline
                flow:
                - filter: mock
                  jumpIf: {mocked: compress}
                - filter: compress
                - filter: decompress
                filters:
                - name: mock
                  kind: Mock
                  rules:
                  - match: {pathPrefix: /}
                    code: 200
                    body: "%s"
                - name: compress
                  kind: ResponseAdaptor
                  compress: gzip
                - name: decompress
                  kind: ResponseAdaptor
                  decompress: gzip
                """.formatted(text));
        // Both adaptors: gzip, then gunzip again — the client gets the text back, with no encoding left.
        HttpResponse<String> plain = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/both")).build());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.body()).isEqualTo(text);

        node.apply(server("s", port, "recode"), """
                name: recode
                kind: Pipeline
                flow:
                - filter: mock
                  jumpIf: {mocked: compress}
                - filter: compress
                filters:
                - name: mock
                  kind: Mock
                  rules:
                  - match: {pathPrefix: /}
                    code: 200
                    body: "%s"
                - name: compress
                  kind: ResponseAdaptor
                  compress: gzip
                """.formatted(text));
        HttpResponse<byte[]> gzipped = java.net.http.HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/gz")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzipped.body().length).as("compressed").isLessThan(text.length() / 10);
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }

    @Test
    void aBrokenGzipAnswerIsCutRatherThanPassedOnAsIfWhole() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "broken"), """
                name: broken
                kind: Pipeline
                flow:
                - filter: mock
                  jumpIf: {mocked: decompress}
                - filter: decompress
                filters:
                - name: mock
                  kind: Mock
                  rules:
                  - match: {pathPrefix: /}
                    code: 200
                    headers:
                      Content-Encoding: gzip
                    body: "this is not gzip at all"
                - name: decompress
                  kind: ResponseAdaptor
                  decompress: gzip
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> java.net.http.HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }
}
