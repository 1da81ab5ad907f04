package io.edgegate.dataplane.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.tracing.OtlpReceiver.ReceivedSpan;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tracing as a collector sees it: an HTTPServer's Easegress {@code tracing} block exports to an
 * OTLP receiver in this JVM, and the backend's {@code traceparent} is compared with the spans.
 */
class TracingTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static final Duration EXPORTED = Duration.ofSeconds(10);

    private final ObjectMapper json = new ObjectMapper();
    private OtlpReceiver collector;
    private EchoBackend app;
    private int port;

    @BeforeEach
    void start() throws Exception {
        collector = new OtlpReceiver();
        app = EchoBackend.start("app");
        port = FreePorts.pick();
    }

    @AfterEach
    void stop() {
        app.close();
        collector.close();
    }

    @Test
    void eachRequestGivesAServerSpanAndAClientSpanAndTheBackendIsTheClientSpansChild() throws Exception {
        node.apply(tracedServer("sampleRate: 1"), pipeline("mainPool:\n      servers:\n      - url: " + app.url()));
        for (int i = 0; i < 5; i++) {
            assertThat(get("/orders?id=" + i, Map.of()).statusCode()).isEqualTo(200);
        }
        assertThat(app.received()).hasSize(5);
        for (EchoBackend.ReceivedRequest received : app.received()) {
            String[] parent = received.header("traceparent").split("-");
            assertThat(sampled(parent[3])).isTrue();
            List<ReceivedSpan> spans = awaitSpans(parent[1], 2);
            ReceivedSpan server = only(spans, "SPAN_KIND_SERVER");
            ReceivedSpan client = only(spans, "SPAN_KIND_CLIENT");
            assertThat(server.parentSpanId()).isEmpty();
            assertThat(server.name()).isEqualTo("GET traced");
            assertThat(server.attributes()).containsEntry("http.request.method", "GET").containsEntry("url.path", "/orders")
                    .containsEntry("http.response.status_code", "200").containsEntry("edgegate.server", "traced")
                    .containsEntry("edgegate.pipeline", "traced-pipeline").containsEntry("client.address", "127.0.0.1");
            assertThat(server.events()).containsExactly("adaptor", "proxy");
            assertThat(server.resource()).containsEntry("service.name", "shop-gateway").containsEntry("team", "edge")
                    .containsEntry("service.instance.id", "local");
            assertThat(client.parentSpanId()).isEqualTo(server.spanId());
            assertThat(parent[2]).as("the backend's parent is the CLIENT span").isEqualTo(client.spanId());
            assertThat(client.attributes()).containsEntry("server.port", Integer.toString(app.port()))
                    .containsEntry("http.response.status_code", "200").containsEntry("url.full", app.url() + received.uri());
        }
    }

    @Test
    void aClientsSampledTraceIsContinuedAndAnUnsampledOneYieldsNoSpans() throws Exception {
        node.apply(tracedServer("sampleRate: 1"), pipeline("mainPool:\n      servers:\n      - url: " + app.url()));
        String unsampledTrace = randomHex(32);
        String callerSpan = randomHex(16);
        assertThat(get("/a", Map.of("traceparent", "00-" + unsampledTrace + "-" + callerSpan + "-00")).statusCode()).isEqualTo(200);
        String[] unsampled = app.received().get(0).header("traceparent").split("-");
        assertThat(unsampled[1]).as("the trace goes on upstream").isEqualTo(unsampledTrace);
        assertThat(unsampled[2]).isNotEqualTo(callerSpan);
        assertThat(sampled(unsampled[3])).as("still unsampled").isFalse();

        String sampledTrace = randomHex(32);
        assertThat(get("/b", Map.of("traceparent", "00-" + sampledTrace + "-" + callerSpan + "-01")).statusCode()).isEqualTo(200);
        List<ReceivedSpan> spans = awaitSpans(sampledTrace, 2);
        assertThat(only(spans, "SPAN_KIND_SERVER").parentSpanId()).isEqualTo(callerSpan);
        // Spans are exported in the order they ended: the later request's are here, so the earlier one made none.
        assertThat(collector.spansOf(unsampledTrace)).isEmpty();
    }

    @Test
    void aMalformedOrHostileTraceparentStartsATraceOfOurOwn() throws Exception {
        node.apply(tracedServer("sampleRate: 1"), pipeline("mainPool:\n      servers:\n      - url: " + app.url()));
        List<String> hostile = List.of("garbage", "00-" + "0".repeat(32) + "-" + randomHex(16) + "-01",
                "ff-" + randomHex(32) + "-" + randomHex(16) + "-01", "00-" + randomHex(32).toUpperCase() + "-" + randomHex(16) + "-01",
                "00-" + randomHex(32) + "-" + randomHex(16) + "-01-" + "x".repeat(4_000));
        for (String value : hostile) {
            assertThat(get("/h", Map.of("traceparent", value, "tracestate", "k=" + "v".repeat(2_000))).statusCode()).isEqualTo(200);
        }
        assertThat(app.received()).hasSize(hostile.size());
        for (int i = 0; i < hostile.size(); i++) {
            String sent = app.received().get(i).header("traceparent");
            assertThat(sent).as("replaced: " + hostile.get(i)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
            String trace = sent.split("-")[1];
            assertThat(hostile.get(i)).doesNotContain(trace);
            assertThat(only(awaitSpans(trace, 2), "SPAN_KIND_SERVER").parentSpanId()).as("a root of its own").isEmpty();
        }
    }

    @Test
    void sampleRateZeroTracesNothingButStillSendsAContextUpstream() throws Exception {
        node.apply(tracedServer("sampleRate: 0"), pipeline("mainPool:\n      servers:\n      - url: " + app.url()));
        for (int i = 0; i < 20; i++) {
            assertThat(get("/x", Map.of()).statusCode()).isEqualTo(200);
        }
        assertThat(app.received()).allSatisfy(r -> {
            assertThat(r.header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
            assertThat(sampled(r.header("traceparent").split("-")[3])).isFalse();
        });
        // A client's sampled trace is followed whatever the rate (parent-based sampling).
        String followed = randomHex(32);
        get("/y", Map.of("traceparent", "00-" + followed + "-" + randomHex(16) + "-01"));
        awaitSpans(followed, 2);
        assertThat(collector.spans()).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(followed));
    }

    @Test
    void aSampleRateSamplesThatShareOfNewTracesAndMalformedHeadersDoNotRaiseIt() throws Exception {
        node.apply(tracedServer("sampleRate: 0.5"), pipeline("mainPool:\n      servers:\n      - url: " + app.url()));
        for (int i = 0; i < 400; i++) {
            // A quarter carry a traceparent no one could continue: they are new traces like the rest.
            Map<String, String> headers = i % 4 == 0 ? Map.of("traceparent", "00-garbage-" + i + "-01") : Map.of();
            assertThat(get("/r", headers).statusCode()).isEqualTo(200);
        }
        List<String> sampledTraces = new java.util.ArrayList<>();
        int sampledWithGarbage = 0;
        for (int i = 0; i < app.received().size(); i++) {
            String[] parent = app.received().get(i).header("traceparent").split("-");
            assertThat(Integer.parseInt(parent[3], 16) & 2).as("a random trace id, flagged as W3C level 2 says").isEqualTo(2);
            if (sampled(parent[3])) {
                sampledTraces.add(parent[1]);
                sampledWithGarbage += i % 4 == 0 ? 1 : 0;
            }
        }
        // Binomial: of 300 plain requests 150 expected (standard deviation 8.7), of the 100 others 50 (5).
        assertThat(sampledTraces.size() - sampledWithGarbage).isBetween(106, 194);
        assertThat(sampledWithGarbage).as("a malformed traceparent is sampled like no traceparent").isBetween(25, 75);
        await().atMost(EXPORTED).until(() -> collector.spans().size() >= 2 * sampledTraces.size());
        assertThat(collector.spans()).hasSize(2 * sampledTraces.size())
                .allSatisfy(span -> assertThat(sampledTraces).contains(span.traceId()));
    }

    @Test
    void everyRetryAndTheMirrorCopyIsAClientSpanOfTheRequest() throws Exception {
        try (EchoBackend shadow = EchoBackend.start("shadow")) {
            node.apply(tracedServer("sampleRate: 1"), """
                    name: traced-pipeline
                    kind: Pipeline
                    resilience:
                    - name: retry3
                      kind: Retry
                      maxAttempts: 3
                      waitDuration: 10ms
                    flow:
                    - filter: proxy
                    filters:
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers:
                        - url: %s
                        retryPolicy: retry3
                        failureCodes: [503]
                        spanName: orders-upstream
                      mirrorPool:
                        filter: {permil: 1000, policy: random}
                        servers:
                        - url: %s
                    """.formatted(app.url(), shadow.url()));
            app.failNext(2, HttpResponseStatus.SERVICE_UNAVAILABLE);
            assertThat(get("/retried", Map.of()).statusCode()).isEqualTo(200);
            String trace = app.received().get(0).header("traceparent").split("-")[1];
            List<ReceivedSpan> spans = awaitSpans(trace, 5);
            ReceivedSpan server = only(spans, "SPAN_KIND_SERVER");
            List<ReceivedSpan> clients = spans.stream().filter(s -> s.kind().equals("SPAN_KIND_CLIENT")).toList();
            assertThat(clients).hasSize(4).allSatisfy(c -> assertThat(c.parentSpanId()).isEqualTo(server.spanId()));
            List<ReceivedSpan> attempts = clients.stream().filter(c -> !c.attributes().containsKey("edgegate.mirror")).toList();
            assertThat(attempts).extracting(ReceivedSpan::name).containsOnly("orders-upstream");
            assertThat(attempts).extracting(c -> c.attributes().get("http.response.status_code")).containsExactlyInAnyOrder("503", "503", "200");
            assertThat(attempts).filteredOn(c -> c.attributes().get("http.response.status_code").equals("503"))
                    .allSatisfy(c -> assertThat(c.status()).isEqualTo("STATUS_CODE_ERROR"));
            // The backend saw each attempt as a child of its own CLIENT span.
            assertThat(app.received()).extracting(r -> r.header("traceparent").split("-")[2])
                    .containsExactlyInAnyOrderElementsOf(attempts.stream().map(ReceivedSpan::spanId).toList());
            ReceivedSpan mirror = clients.stream().filter(c -> c.attributes().containsKey("edgegate.mirror")).findFirst().orElseThrow();
            await().atMost(EXPORTED).until(() -> shadow.received().size() == 1);
            assertThat(shadow.received().get(0).header("traceparent").split("-")[2]).isEqualTo(mirror.spanId());
        }
    }

    @Test
    void b3HeadersGzipAndALiveChangeOfTheBlock() throws Exception {
        // A full URL as the endpoint, gzip, and B3 single headers instead of W3C.
        node.apply(tracedServer("sampleRate: 1", "headerFormat: b3", "endpoint: " + collector.url(), "compression: gzip"), pipeline("mainPool:\n      servers:\n      - url: " + app.url()));
        String trace = randomHex(32);
        assertThat(get("/b3", Map.of("b3", trace + "-" + randomHex(16) + "-1")).statusCode()).isEqualTo(200);
        String b3 = app.received().get(0).header("b3");
        assertThat(b3).startsWith(trace + "-").endsWith("-1");
        awaitSpans(trace, 2);
        assertThat(collector.contentEncodings()).contains("gzip");

        // Back to W3C: the block's new tracer provider takes over at once.
        node.apply(tracedServer("sampleRate: 1"), pipeline("mainPool:\n      servers:\n      - url: " + app.url()));
        assertThat(get("/w3c", Map.of()).statusCode()).isEqualTo(200);
        String w3c = app.received().get(1).header("traceparent").split("-")[1];
        awaitSpans(w3c, 2);
    }

    @Test
    void theAccessLogCarriesTheTraceIdTheBackendReceived() throws Exception {
        node.apply(tracedServer("sampleRate: 0.01"), pipeline("mainPool:\n      servers:\n      - url: " + app.url()));
        long before = node.accessLog().written();
        for (int i = 0; i < 1_000; i++) {
            assertThat(get("/logged", Map.of("X-Request-Id", "trace-" + i)).statusCode()).isEqualTo(200);
        }
        await().atMost(EXPORTED).until(() -> node.accessLog().written() >= before + 1_000);
        Map<String, String> sentUpstream = new HashMap<>();
        app.received().forEach(r -> sentUpstream.put(r.header("X-Request-Id"), r.header("traceparent").split("-")[1]));
        int matched = 0;
        for (String line : Files.readAllLines(node.accessLogFile())) {
            JsonNode parsed = json.readTree(line);
            if (parsed.get("server").asText().equals("traced") && parsed.get("requestId").asText().startsWith("trace-")) {
                assertThat(parsed.get("traceId").asText()).isEqualTo(sentUpstream.get(parsed.get("requestId").asText()));
                matched++;
            }
        }
        assertThat(matched).isEqualTo(1_000);
    }

    private String tracedServer(String sampling) {
        return tracedServer(sampling, "headerFormat: trace-context", "endpoint: " + collector.hostPort(), "insecure: true");
    }

    /** An HTTPServer of Easegress's format whose tracing block exports over OTLP/HTTP to the test's collector. */
    private String tracedServer(String sampling, String headerFormat, String endpoint, String otlpOption) {
        return """
                kind: HTTPServer
                name: traced
                port: %d
                tracing:
                  serviceName: shop-gateway
                  attributes:
                    team: edge
                  %s
                  %s
                  batchLimits:
                    batchTimeout: 20
                  exporter:
                    otlp:
                      protocol: http
                      %s
                      %s
                rules:
                - paths:
                  - pathPrefix: /
                    backend: traced-pipeline
                """.formatted(port, sampling, headerFormat, endpoint, otlpOption);
    }

    private static String pipeline(String pool) {
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
                  %s
                """.formatted(pool.replace("\n", "\n  "));
    }

    private java.net.http.HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        headers.forEach(request::header);
        return node.send(request.build());
    }

    private List<ReceivedSpan> awaitSpans(String traceId, int count) {
        await().atMost(EXPORTED).until(() -> collector.spansOf(traceId).size() >= count);
        List<ReceivedSpan> spans = collector.spansOf(traceId);
        assertThat(spans).hasSize(count);
        return spans;
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, String kind) {
        List<ReceivedSpan> ofKind = spans.stream().filter(s -> s.kind().equals(kind)).toList();
        assertThat(ofKind).hasSize(1);
        return ofKind.get(0);
    }

    /** W3C trace flags: bit 0 is "sampled" (bit 1, "random", is set by OpenTelemetry for its random trace ids). */
    private static boolean sampled(String flags) {
        return (Integer.parseInt(flags, 16) & 1) == 1;
    }

    private static String randomHex(int digits) {
        StringBuilder out = new StringBuilder();
        while (out.length() < digits) {
            out.append(Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
        }
        return out.substring(0, digits);
    }
}
