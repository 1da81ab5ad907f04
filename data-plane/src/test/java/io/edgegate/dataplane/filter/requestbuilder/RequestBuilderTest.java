package io.edgegate.dataplane.filter.requestbuilder;

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

/** RequestBuilder templates through a real listener: what the backend received, and what a failing template leaves the client with. */
class RequestBuilderTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static String pipeline(String builder, String jumpIf, EchoBackend app) {
        return """
                name: p
                kind: Pipeline
                flow:
                - filter: build
                  namespace: api%s
                - filter: proxy
                  namespace: api
                - filter: answer
                filters:
                - name: build
                  kind: RequestBuilder
                %s
                - name: proxy
                  kind: Proxy
                  pools:
                  - servers:
                    - url: %s
                - name: answer
                  kind: ResponseBuilder
                  sourceNamespace: api
                - name: fallback
                  kind: ResponseBuilder
                  template: |
                    statusCode: 503
                    body: try again later
                """.formatted(jumpIf, builder.stripTrailing().lines().map(l -> "  " + l).reduce((a, b) -> a + "\n" + b).orElse(""),
                app.url());
    }

    @Test
    void aTemplateMakesTheRequestFromTheClientsOne() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "p"), pipeline("""
                    template: |
                      method: put
                      url: /users/{{.requests.DEFAULT.JSONBody.id}}?source={{.requests.DEFAULT.URL.Query.Get "from" | urlquery}}
                      headers:
                        X-Trace:
                        - {{.requests.DEFAULT.Header.Get "x-trace"}}
                        X-Agent: [{{header .requests.DEFAULT.Header "User-Agent" | quote}}]
                      body: '{"name": "{{.requests.DEFAULT.JSONBody.name | upper}}", "method": "{{.req.Method}}"}'
                    """, "", app));

            HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/import?from=a%20b"))
                    .header("X-Trace", "t-1").header("User-Agent", "tester/2")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\": 42, \"name\": \"ada\"}")).build());

            assertThat(response.statusCode()).isEqualTo(200);
            EchoBackend.ReceivedRequest received = app.received().get(0);
            assertThat(received.method()).isEqualTo("PUT");
            assertThat(received.uri()).isEqualTo("/users/42?source=a+b");
            assertThat(received.header("X-Trace")).isEqualTo("t-1");
            assertThat(received.header("X-Agent")).isEqualTo("tester/2");
            assertThat(received.body()).isEqualTo("{\"name\": \"ADA\", \"method\": \"POST\"}");
            assertThat(received.header("Content-Length")).isEqualTo(Integer.toString(received.body().length()));
            // The ResponseBuilder copied the api namespace's answer to the client.
            assertThat(response.body()).startsWith("app\nPUT /users/42?source=a+b");
        }
    }

    /**
     * As Easegress's yaml.v3 reads a rendered request: a scalar in a string field is its text (a number, yes, 007),
     * and a URL Go's parser takes with spaces or braces goes out escaped instead of failing the build.
     */
    @Test
    void scalarsAreTheirTextAndAUrlWithSpacesIsEscaped() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "p"), pipeline("""
                    template: |
                      url: /files/{{.requests.DEFAULT.URL.Query.Get "name"}}
                      headers:
                        X-User-Id: [{{.requests.DEFAULT.JSONBody.userId}}]
                        X-Flag: [yes]
                        X-Time: [10:30]
                      body: 007
                    """, "", app));

            HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?name=my%20%7Bfile%7D"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"userId\": 42}")).build());

            assertThat(response.statusCode()).isEqualTo(200);
            EchoBackend.ReceivedRequest received = app.received().get(0);
            assertThat(received.uri()).isEqualTo("/files/my%20%7Bfile%7D");
            assertThat(received.header("X-User-Id")).isEqualTo("42");
            assertThat(received.header("X-Flag")).isEqualTo("yes");
            assertThat(received.header("X-Time")).isEqualTo("10:30");
            assertThat(received.body()).isEqualTo("007");
        }
    }

    /**
     * A request copied with sourceNamespace whose body is too large to hold (over 4 MB) takes the body along, as
     * Easegress shares a stream body: the upstream gets every byte, not an empty body under the original length.
     */
    @Test
    void aCopiedRequestTooLargeToHoldTakesItsBodyAlong() throws Exception {
        int port = FreePorts.pick();
        try (io.edgegate.testkit.StreamingBackend sink = io.edgegate.testkit.StreamingBackend.start()) {
            node.apply(server("s", port, "p").replace("rules:", "clientMaxBodySize: -1\nrules:"), """
                    name: p
                    kind: Pipeline
                    flow:
                    - filter: copy
                      namespace: api
                    - filter: proxy
                      namespace: api
                    - filter: answer
                    filters:
                    - name: copy
                      kind: RequestBuilder
                      sourceNamespace: DEFAULT
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers:
                        - url: %s
                    - name: answer
                      kind: ResponseBuilder
                      sourceNamespace: api
                    """.formatted(sink.url()));
            byte[] body = new byte[5 * 1024 * 1024 + 7];
            new java.util.Random(7).nextBytes(body);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(body);

            HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sink"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("bytes=" + body.length).contains("crc32=" + Long.toHexString(crc.getValue()));
        }
    }

    @Test
    void theExampleSendsTheBuiltRequestAndAnswersWithItsResponse() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "request-builder"), io.edgegate.dataplane.LocalNode.example("filters/request-builder.yaml", app.url()));

            HttpResponse<String> built = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/import?from=web"))
                    .header("X-Trace", "t-9").POST(HttpRequest.BodyPublishers.ofString("{\"id\": 7, \"name\": \"grace\"}")).build());
            // No JSON body: JSONBody fails at run time (EOF), the flow jumps to "sorry".
            HttpResponse<String> notBuilt = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/import")).build());

            assertThat(built.statusCode()).isEqualTo(200);
            assertThat(built.body()).startsWith("app\nPUT /users/7?source=web");
            assertThat(app.received().get(0).header("X-Trace")).isEqualTo("t-9");
            assertThat(app.received().get(0).body()).isEqualTo("{\"name\": \"GRACE\"}");
            assertThat(notBuilt.statusCode()).isEqualTo(503);
            assertThat(notBuilt.body()).isEqualTo("the request could not be built");
            assertThat(app.received()).hasSize(1);

            // A 5xx is the Proxy's failureCode: its jumpIf still takes the backend's answer to the client.
            app.answerWith(io.netty.handler.codec.http.HttpResponseStatus.BAD_GATEWAY);
            HttpResponse<String> failed = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/import"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\": 8, \"name\": \"ada\"}")).build());
            assertThat(failed.statusCode()).isEqualTo(502);
        }
    }

    @Test
    void formDataBecomesAMultipartBody() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "p"), pipeline("""
                    template: |
                      method: POST
                      url: /upload
                      formData:
                        note:
                          value: hello
                        file:
                          fileName: a.txt
                          value: file contents
                    """, "", app));

            HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).build());

            assertThat(response.statusCode()).isEqualTo(200);
            EchoBackend.ReceivedRequest received = app.received().get(0);
            String boundary = received.header("Content-Type").replaceFirst("^multipart/form-data; boundary=", "");
            assertThat(received.body()).isEqualTo("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                    + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\nfile contents\r\n--" + boundary + "--\r\n");
        }
    }

    @Test
    void aTemplateThatFailsReturnsBuildErrAnswers503AndSendsNothing() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            // index of a header the client did not send: Go's "index of untyped nil" at run time.
            node.apply(server("s", port, "p"), pipeline("""
                    template: |
                      url: /{{index .requests.DEFAULT.Header "X-Missing" 0}}
                    """, "", app));
            HttpResponse<String> failed = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build());

            node.apply(server("s", port, "p"), pipeline("""
                    template: |
                      method: FETCH
                    """, "\n  jumpIf: {buildErr: fallback}", app).replace("- filter: answer", "- filter: answer\n- filter: fallback"));
            HttpResponse<String> fellBack = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build());

            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(failed.body()).doesNotContain("try again later");
            assertThat(fellBack.statusCode()).isEqualTo(503);
            assertThat(fellBack.body()).isEqualTo("try again later");
            assertThat(app.received()).isEmpty();
        }
    }

    @Test
    void aProxyInANamespaceWithoutARequestFailsTheRequest() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "p"), """
                    name: p
                    kind: Pipeline
                    flow:
                    - filter: proxy
                      namespace: nowhere
                    filters:
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers:
                        - url: %s
                    """.formatted(app.url()));

            HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build());

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(app.received()).isEmpty();
        }
    }

    @Test
    void inDefaultTheBuiltRequestIsWhatTheProxySends() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "p"), """
                    name: p
                    kind: Pipeline
                    flow:
                    - filter: build
                    - filter: proxy
                    filters:
                    - name: build
                      kind: RequestBuilder
                      leftDelim: '[['
                      rightDelim: ']]'
                      template: |
                        method: DELETE
                        url: /items/[[.req.URL.Path | trimPrefix "/api/"]]
                        body: 'kept {{ as text }}'
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers:
                        - url: %s
                    """.formatted(app.url()));

            HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/7")).build());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(app.received().get(0).method()).isEqualTo("DELETE");
            assertThat(app.received().get(0).uri()).isEqualTo("/items/7");
            assertThat(app.received().get(0).body()).isEqualTo("kept {{ as text }}");
        }
    }
}
