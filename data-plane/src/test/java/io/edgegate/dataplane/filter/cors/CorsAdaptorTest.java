package io.edgegate.dataplane.filter.cors;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.util.List;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** examples/filters/cors.yaml as a browser sees it. */
class CorsAdaptorTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static final int PORT = FreePorts.pick();
    private static EchoBackend api;

    @BeforeAll
    static void start() throws Exception {
        api = EchoBackend.start("api");
        node.apply(server("s", PORT, "cors-demo"), example("filters/cors.yaml", api.url()));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static HttpResponse<String> send(String method, String... headers) {
        return node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/orders"))
                .method(method, HttpRequest.BodyPublishers.noBody()).headers(headers).build());
    }

    @Test
    void anAllowedPreflightIsAnsweredHereWithWhatIsAllowed() {
        HttpResponse<String> preflight = send("OPTIONS", "Origin", "https://shop.example.org",
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type, authorization");

        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example.org");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("PUT");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type, authorization");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
        assertThat(api.received()).noneSatisfy(r -> assertThat(r.method()).isEqualTo("OPTIONS"));
    }

    @Test
    void aDisallowedOriginMethodOrHeaderGetsNoPermission() {
        HttpResponse<String> origin = send("OPTIONS", "Origin", "https://evil.example.net", "Access-Control-Request-Method", "GET");
        HttpResponse<String> method = send("OPTIONS", "Origin", "https://app.example.com", "Access-Control-Request-Method", "PATCH");
        HttpResponse<String> header = send("OPTIONS", "Origin", "https://app.example.com", "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "X-Secret");

        for (HttpResponse<String> refused : new HttpResponse[] {origin, method, header}) {
            assertThat(refused.statusCode()).isEqualTo(204);
            assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void actualCrossOriginAnswersCarryTheHeaders() {
        HttpResponse<String> allowed = send("GET", "Origin", "https://app.example.com");
        HttpResponse<String> other = send("GET", "Origin", "https://evil.example.net");

        assertThat(allowed.headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("api");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers")).hasValue("X-Request-Id");
        assertThat(allowed.headers().allValues("Vary")).contains("Origin");
        assertThat(other.headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("api");
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    /**
     * Any origin with credentials: answered with {@code *}, as rs/cors (Easegress) does, which browsers refuse for
     * credentialed requests. An echoed origin would let any site read what a signed-in user's cookies fetch.
     */
    @Test
    void anyOriginWithCredentialsIsAnsweredWithAStarNeverTheCallersOrigin() throws Exception {
        int anyPort = FreePorts.pick();
        node.apply(server("s", PORT, "cors-demo"), example("filters/cors.yaml", api.url()), server("any", anyPort, "cors-any"), """
                name: cors-any
                kind: Pipeline
                filters:
                - name: cors
                  kind: CORSAdaptor
                  allowedOrigins: ['*']
                  allowedMethods: [GET]
                  allowCredentials: true
                - name: proxy
                  kind: Proxy
                  pools:
                  - servers:
                    - url: %s
                """.formatted(api.url()));
        HttpResponse<String> actual = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + anyPort + "/me"))
                .header("Origin", "https://evil.example.net").build());
        HttpResponse<String> preflight = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + anyPort + "/me"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://evil.example.net")
                .header("Access-Control-Request-Method", "GET").build());

        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        node.apply(server("s", PORT, "cors-demo"), example("filters/cors.yaml", api.url()));
    }

    /** Easegress v2's CORSAdaptor: actual requests are decorated without asking, and a disallowed one is stopped here. */
    @Test
    void inAV2PipelineActualRequestsAreDecoratedAndDisallowedOnesStopHere() throws Exception {
        int v2Port = FreePorts.pick();
        node.apply(server("s", PORT, "cors-demo"), example("filters/cors.yaml", api.url()), server("v2", v2Port, "cors-v2"), """
                name: cors-v2
                kind: Pipeline
                flow:
                - filter: cors
                - filter: proxy
                filters:
                - name: cors
                  kind: CORSAdaptor
                  allowedOrigins: ['https://app.example.com']
                  allowedMethods: [GET]
                - name: proxy
                  kind: Proxy
                  pools:
                  - servers:
                    - url: %s
                """.formatted(api.url()));
        int before = api.received().size();
        java.util.function.BiFunction<String, String, HttpResponse<String>> send = (method, origin) -> node.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + v2Port + "/orders"))
                        .method(method, HttpRequest.BodyPublishers.noBody()).header("Origin", origin).build());

        HttpResponse<String> allowed = send.apply("GET", "https://app.example.com");
        assertThat(allowed.headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("api");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");

        for (HttpResponse<String> rejected : List.of(send.apply("GET", "https://evil.example.net"),
                send.apply("POST", "https://app.example.com"))) {
            assertThat(rejected.statusCode()).isEqualTo(200);
            assertThat(rejected.body()).isEmpty();
            assertThat(rejected.headers().allValues("Vary")).contains("Origin");
            assertThat(rejected.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
        assertThat(api.received()).as("only the allowed request was sent on").hasSize(before + 1);

        // No Origin: not a CORS request (a server-to-server call, curl), sent on undecorated whatever its method.
        HttpResponse<String> sameOrigin = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + v2Port + "/orders"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(sameOrigin.headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("api");
        assertThat(sameOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(api.received()).hasSize(before + 2);
        node.apply(server("s", PORT, "cors-demo"), example("filters/cors.yaml", api.url()));
    }
}
