package io.edgegate.dataplane.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Easegress's Zipkin exporters as a Zipkin server sees them: v1's {@code tracing.zipkin} block
 * (B3 headers, its own sample rate) and v2's {@code exporter.zipkin}, next to OTLP.
 */
class ZipkinTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static final Duration EXPORTED = Duration.ofSeconds(10);

    private ZipkinReceiver zipkin;
    private EchoBackend app;
    private int port;

    @BeforeEach
    void start() throws Exception {
        zipkin = new ZipkinReceiver();
        app = EchoBackend.start("app");
        port = FreePorts.pick();
    }

    @AfterEach
    void stop() {
        app.close();
        zipkin.close();
    }

    @Test
    void easegressV1sZipkinBlockSendsB3UpstreamAndZipkinGetsAServerAndAClientSpan() throws Exception {
        node.apply(server("""
                serviceName: shop-gateway
                tags: {team: edge}
                zipkin:
                  hostport: 0.0.0.0:10080
                  serverURL: %s
                  sampleRate: 1
                  sameSpan: true
                  id128Bit: false
                batchLimits: {batchTimeout: 20}
                """.formatted(zipkin.url())), pipeline());
        assertThat(get("/orders?id=7").statusCode()).isEqualTo(200);

        String b3 = app.received().get(0).header("b3");
        assertThat(app.received().get(0).header("traceparent")).as("B3 instead of W3C").isNull();
        assertThat(b3).matches("[0-9a-f]{32}-[0-9a-f]{16}-1");
        String trace = b3.split("-")[0];
        List<JsonNode> spans = awaitSpans(trace, 2);
        JsonNode server = ofKind(spans, "SERVER");
        JsonNode client = ofKind(spans, "CLIENT");
        assertThat(server.has("parentId")).isFalse();
        assertThat(server.get("name").asText()).isEqualTo("GET traced");
        assertThat(server.get("localEndpoint").get("serviceName").asText()).isEqualTo("shop-gateway");
        assertThat(server.get("tags").get("http.response.status_code").asText()).isEqualTo("200");
        assertThat(server.get("tags").get("url.path").asText()).isEqualTo("/orders");
        assertThat(server.get("annotations")).extracting(a -> a.get("value").asText()).allMatch(v -> v.startsWith("adaptor") || v.startsWith("proxy"));
        assertThat(server.get("timestamp").asLong()).as("microseconds since the epoch")
                .isBetween(System.currentTimeMillis() * 1_000 - 60_000_000, System.currentTimeMillis() * 1_000);
        assertThat(server.get("duration").asLong()).isPositive();
        assertThat(client.get("parentId").asText()).isEqualTo(server.get("id").asText());
        assertThat(b3.split("-")[1]).as("the backend's parent is the CLIENT span").isEqualTo(client.get("id").asText());
        assertThat(client.get("remoteEndpoint").get("ipv4").asText()).isEqualTo("127.0.0.1");
        assertThat(client.get("remoteEndpoint").get("port").asInt()).isEqualTo(app.port());
        assertThat(zipkin.contentTypes()).containsOnly("application/json");
    }

    @Test
    void theV1BlocksOwnSampleRateDecides() throws Exception {
        node.apply(server("""
                serviceName: shop-gateway
                sampleRate: 1
                zipkin: {serverURL: "%s", sampleRate: 0}
                batchLimits: {batchTimeout: 20}
                """.formatted(zipkin.url())), pipeline());
        for (int i = 0; i < 10; i++) {
            assertThat(get("/quiet").statusCode()).isEqualTo(200);
        }
        assertThat(app.received()).allSatisfy(r -> assertThat(r.header("b3")).endsWith("-0"));
        // A caller's sampled trace is still followed, and it is the only one exported.
        String followed = "4bf92f3577b34da6a3ce929d0e0e4736";
        assertThat(get("/followed", Map.of("b3", followed + "-00f067aa0ba902b7-1")).statusCode()).isEqualTo(200);
        awaitSpans(followed, 2);
        assertThat(zipkin.spansOf(followed)).hasSize(2);
    }

    @Test
    void v2ExportsToZipkinAndOtlpAtOnce() throws Exception {
        try (OtlpReceiver otlp = new OtlpReceiver()) {
            node.apply(server("""
                    serviceName: shop-gateway
                    batchLimits: {batchTimeout: 20}
                    exporter:
                      zipkin:
                        endpoint: %s
                      otlp:
                        protocol: http
                        endpoint: %s
                        insecure: true
                    """.formatted(zipkin.url(), otlp.hostPort())), pipeline());
            assertThat(get("/both").statusCode()).isEqualTo(200);
            String trace = app.received().get(0).header("traceparent").split("-")[1];
            awaitSpans(trace, 2);
            await().atMost(EXPORTED).until(() -> otlp.spansOf(trace).size() == 2);
            assertThat(otlp.spansOf(trace)).extracting(OtlpReceiver.ReceivedSpan::spanId)
                    .containsExactlyInAnyOrderElementsOf(zipkin.spansOf(trace).stream().map(s -> s.get("id").asText()).toList());
        }
    }

    @Test
    void anUnreachableZipkinCostsRequestsNothing() throws Exception {
        String gone = zipkin.url();
        zipkin.close();
        node.apply(server("""
                serviceName: shop-gateway
                exporter: {zipkin: {endpoint: "%s"}}
                batchLimits: {batchTimeout: 20, exportTimeout: 200}
                """.formatted(gone)), pipeline());
        for (int i = 0; i < 50; i++) {
            assertThat(get("/still").statusCode()).isEqualTo(200);
        }
        assertThat(app.received()).hasSize(50);
    }

    private String server(String tracing) {
        return """
                kind: HTTPServer
                name: traced
                port: %d
                tracing:
                %s
                rules:
                - paths:
                  - pathPrefix: /
                    backend: traced-pipeline
                """.formatted(port, tracing.indent(2).stripTrailing());
    }

    private String pipeline() {
        return """
                name: traced-pipeline
                kind: Pipeline
                flow:
                - filter: adaptor
                - filter: proxy
                filters:
                - name: adaptor
                  kind: RequestAdaptor
                  header:
                    set:
                      X-Traced: "yes"
                - name: proxy
                  kind: Proxy
                  pools:
                  - servers:
                    - url: %s
                """.formatted(app.url());
    }

    private HttpResponse<String> get(String path) {
        return get(path, Map.of());
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        headers.forEach(request::header);
        return node.send(request.build());
    }

    private List<JsonNode> awaitSpans(String traceId, int count) {
        await().atMost(EXPORTED).until(() -> zipkin.spansOf(traceId).size() >= count);
        List<JsonNode> spans = zipkin.spansOf(traceId);
        assertThat(spans).hasSize(count);
        return spans;
    }

    private static JsonNode ofKind(List<JsonNode> spans, String kind) {
        List<JsonNode> ofKind = spans.stream().filter(s -> kind.equals(s.path("kind").asText())).toList();
        assertThat(ofKind).hasSize(1);
        return ofKind.get(0);
    }
}
