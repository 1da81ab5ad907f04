package io.edgegate.dataplane.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The node's own tracing: on only when somewhere to send traces is given, configured by OTEL_* and our flags. */
class NodeTracingTest {

    @Test
    void offUnlessAnEndpointOrExporterIsGiven() {
        assertThat(NodeTracing.start("n", Optional.empty(), 0.01, Map.of()).enabled()).isFalse();
        assertThat(NodeTracing.start("n", Optional.empty(), 0.01, Map.of("OTEL_TRACES_EXPORTER", "none")).enabled()).isFalse();
        Tracing byEnvironment = NodeTracing.start("n", Optional.empty(), 0.01, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"));
        assertThat(byEnvironment.enabled()).isTrue();
        byEnvironment.shutdown();
        assertThat(NodeTracing.start("n", Optional.of("http://127.0.0.1:1/v1/traces"), 0.01, Map.of("OTEL_SDK_DISABLED", "true")).enabled())
                .isFalse();
        assertThatThrownBy(() -> NodeTracing.start("n", Optional.empty(), 1.5, Map.of())).hasMessageContaining("from 0 to 1");
    }

    @Test
    void theFlagsEndpointGetsTheNodesSpansUnderItsId() throws Exception {
        try (OtlpReceiver collector = new OtlpReceiver()) {
            Tracing tracing = NodeTracing.start("node-7", Optional.of(collector.url()), 1, Map.of());
            HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/pay?card=1");
            head.headers().set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            RequestTrace trace = tracing.startServer(head, "edge", "http", new java.net.InetSocketAddress("10.0.0.9", 5000), false);
            assertThat(trace.traceId(head)).hasToString("0af7651916cd43dd8448eb211c80319c");
            trace.filterResult("auth", "");
            trace.end("payments", 502);
            tracing.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> !collector.spans().isEmpty());
            OtlpReceiver.ReceivedSpan span = collector.spans().get(0);
            assertThat(span.parentSpanId()).isEqualTo("b7ad6b7169203331");
            assertThat(span.name()).isEqualTo("POST edge");
            assertThat(span.status()).isEqualTo("STATUS_CODE_ERROR");
            assertThat(span.attributes()).containsEntry("url.path", "/pay").containsEntry("http.response.status_code", "502")
                    .containsEntry("client.address", "10.0.0.9");
            assertThat(span.resource()).containsEntry("service.name", "edgegate-data-plane").containsEntry("service.instance.id", "node-7");
        }
    }

    @Test
    void newTracesAreSampledAtTheFlagsRateUnlessTheOperatorChoseASampler() throws Exception {
        try (OtlpReceiver collector = new OtlpReceiver()) {
            Tracing none = NodeTracing.start("n", Optional.of(collector.url()), 0, Map.of());
            Tracing all = NodeTracing.start("n", Optional.of(collector.url()), 1, Map.of());
            // OTEL_TRACES_SAMPLER=always_off, as the SDK reads it; the environment map only tells that it is set.
            System.setProperty("otel.traces.sampler", "always_off");
            Tracing operators;
            try {
                operators = NodeTracing.start("n", Optional.of(collector.url()), 1, Map.of());
            } finally {
                System.clearProperty("otel.traces.sampler");
            }
            assertThat(none.injectsW3cOnly()).as("the default propagator: unsampled headers are written directly").isTrue();
            for (Tracing tracing : java.util.List.of(none, all, operators)) {
                HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
                RequestTrace trace = tracing.startServer(head, "edge", "http", new java.net.InetSocketAddress("10.0.0.9", 5000), false);
                HttpRequest upstream = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
                trace.startUpstream(upstream, "", "10.0.0.1", 80, "http://10.0.0.1", false);
                trace.end("p", 200);
                String[] sent = upstream.headers().get("traceparent").split("-");
                assertThat(sent[1]).as("the access log's id is the upstream's").isEqualTo(trace.traceId(head).toString());
                assertThat(sent[3]).isEqualTo(tracing == all ? "03" : "02");
                tracing.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            // The one sampled SERVER span (its CLIENT span never got an answer, so it was not ended).
            await().atMost(Duration.ofSeconds(10)).until(() -> !collector.spans().isEmpty());
            assertThat(collector.spans()).hasSize(1).allSatisfy(span -> assertThat(span.kind()).isEqualTo("SPAN_KIND_SERVER"));
        }
    }

    @Test
    void anUnsampledNewTracesHeaderIsW3csFormOfItsIds() {
        var header = W3cTraceParent.unsampled(0x0123456789abcdefL, 0xfedcba9876543210L, 1);
        assertThat(header.toString()).isEqualTo("00-0123456789abcdeffedcba9876543210-0000000000000001-02");
        assertThat((CharSequence) W3cTraceParent.traceId(header)).hasToString("0123456789abcdeffedcba9876543210");
    }

    @Test
    void anUntracedRequestStillLogsTheClientsTraceId() {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        assertThat(RequestTrace.NONE.traceId(head)).isEmpty();
        head.headers().set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
        assertThat(RequestTrace.NONE.traceId(head)).hasToString("4bf92f3577b34da6a3ce929d0e0e4736");
        head.headers().set("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01");
        assertThat(RequestTrace.NONE.traceId(head)).as("all zeros is invalid").isEmpty();
        head.headers().set("traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01");
        assertThat(RequestTrace.NONE.traceId(head)).as("upper case is invalid").isEmpty();
        head.headers().set("traceparent", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(RequestTrace.NONE.traceId(head)).as("version ff is invalid").isEmpty();
        head.headers().set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra");
        assertThat(RequestTrace.NONE.traceId(head)).as("version 00 is exactly 55 characters").isEmpty();
        head.headers().set("traceparent", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra");
        assertThat(RequestTrace.NONE.traceId(head)).as("a later version may carry more").hasToString("4bf92f3577b34da6a3ce929d0e0e4736");
        head.headers().set("traceparent", "garbage");
        assertThat(RequestTrace.NONE.traceId(head)).isEmpty();
    }
}
