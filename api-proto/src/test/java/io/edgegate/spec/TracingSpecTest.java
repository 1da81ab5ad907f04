package io.edgegate.spec;

import static io.edgegate.spec.SpecFixtures.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.server.HttpServerSpec;
import io.edgegate.spec.server.TracingSpec;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Easegress's HTTPServer tracing block: what it maps to, its defaults, and the exporters we cannot speak. */
class TracingSpecTest {

    private static HttpServerSpec server(String tracing) throws SpecException {
        return (HttpServerSpec) decode("kind: HTTPServer\nname: s\nport: 8080\ntracing:\n" + tracing.indent(2) + "rules: []\n").spec();
    }

    @Test
    void aMinimalOtlpBlockTakesEasegresssDefaults() throws SpecException {
        TracingSpec spec = server("""
                serviceName: gateway
                exporter:
                  otlp:
                    protocol: http
                    endpoint: collector:4318
                """).tracing().orElseThrow();
        assertThat(spec.sampleRate()).isEqualTo(1.0);
        assertThat(spec.exporters()).as("Go's exporter: HTTPS unless insecure")
                .containsExactly(new TracingSpec.OtlpHttp(URI.create("https://collector:4318/v1/traces"), false));
        assertThat(spec.headerFormat()).isEqualTo(TracingSpec.HeaderFormat.TRACE_CONTEXT);
        assertThat(spec.batchLimits().batchTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.batchLimits().maxQueueSize()).isEqualTo(2048);
        assertThat(spec.spanLimits().attributeCountLimit()).isEqualTo(128);
    }

    @Test
    void aRateWrittenAsYamlWritesNumbersIsThatNumberAndStaysOne() throws SpecException {
        // YAML numbers not written as they are written back: read as the number, and stored as one.
        for (String written : new String[] {".5", "0.50", "+0.5", "5e-1"}) {
            var decoded = decode("kind: HTTPServer\nname: s\nport: 8080\ntracing:\n  serviceName: g\n  sampleRate: " + written
                    + "\n  exporter: {zipkin: {endpoint: 'http://z:9411/api/v2/spans'}}\nrules: []\n");
            assertThat(((HttpServerSpec) decoded.spec()).tracing().orElseThrow().sampleRate()).as(written).isEqualTo(0.5);
            assertThat(new io.edgegate.spec.codec.DocumentParser().toJson(decoded.document())).as(written).contains("\"sampleRate\":0.5");
        }
    }

    @Test
    void everyFieldIsMapped() throws SpecException {
        TracingSpec spec = server("""
                serviceName: gateway
                tags: {env: prod}
                sampleRate: 0.25
                headerFormat: b3
                spanLimits: {attributeCountLimit: 10, eventCountLimit: -1}
                batchLimits: {maxQueueSize: 100, batchTimeout: 200, exportTimeout: 1000, maxExportBatchSize: 50}
                exporter:
                  otlp: {protocol: http, endpoint: "collector:4318", insecure: true, compression: gzip}
                """).tracing().orElseThrow();
        assertThat(spec.attributes()).containsExactly(java.util.Map.entry("env", "prod"));
        assertThat(spec.sampleRate()).isEqualTo(0.25);
        assertThat(spec.headerFormat()).isEqualTo(TracingSpec.HeaderFormat.B3);
        assertThat(spec.spanLimits().attributeCountLimit()).isEqualTo(10);
        assertThat(spec.spanLimits().eventCountLimit()).isEqualTo(-1);
        assertThat(spec.batchLimits()).isEqualTo(new TracingSpec.BatchLimits(100, Duration.ofMillis(200), Duration.ofSeconds(1), 50));
        assertThat(spec.exporters()).containsExactly(new TracingSpec.OtlpHttp(URI.create("http://collector:4318/v1/traces"), true));
        assertThat(server("serviceName: g\nexporter: {otlp: {protocol: http, endpoint: 'http://c:4318'}}").tracing().orElseThrow()
                .exporters().get(0).endpoint()).as("a URL without a path gets OTLP's").isEqualTo(URI.create("http://c:4318/v1/traces"));
        assertThat(server("serviceName: g\nexporter: {otlp: {protocol: http, endpoint: 'http://c:4318/custom/traces'}}").tracing()
                .orElseThrow().exporters().get(0).endpoint()).isEqualTo(URI.create("http://c:4318/custom/traces"));
    }

    @Test
    void otlpOverGrpcTakesGosHostPortForm() throws SpecException {
        assertThat(server("serviceName: g\nexporter: {otlp: {protocol: grpc, endpoint: 'c:4317', insecure: true}}\n").tracing()
                .orElseThrow().exporters()).containsExactly(new TracingSpec.OtlpGrpc(URI.create("http://c:4317"), false));
        assertThat(server("serviceName: g\nexporter: {otlp: {protocol: grpc, endpoint: 'c', compression: gzip}}\n").tracing()
                .orElseThrow().exporters()).as("TLS unless insecure; the collector's gRPC port by default")
                .containsExactly(new TracingSpec.OtlpGrpc(URI.create("https://c:4317"), true));
    }

    @Test
    void zipkinAsEasegressV1AndV2WriteIt() throws SpecException {
        TracingSpec v1 = server("""
                serviceName: g
                sampleRate: 1
                headerFormat: trace-context
                zipkin: {hostport: "0.0.0.0:10080", serverURL: "http://z:9411/api/v2/spans", sampleRate: 0.3, sameSpan: true,
                         id128Bit: false, disableReport: false}
                """).tracing().orElseThrow();
        assertThat(v1.exporters()).containsExactly(new TracingSpec.Zipkin(URI.create("http://z:9411/api/v2/spans")));
        assertThat(v1.sampleRate()).as("the block's own rate, as Easegress v2 reads it").isEqualTo(0.3);
        assertThat(v1.headerFormat()).as("B3, as Easegress v2 sends it for this block").isEqualTo(TracingSpec.HeaderFormat.B3);

        TracingSpec v2 = server("""
                serviceName: g
                exporter:
                  zipkin: {endpoint: "http://z:9411/api/v2/spans"}
                  otlp: {protocol: http, endpoint: "c:4318", insecure: true}
                """).tracing().orElseThrow();
        assertThat(v2.exporters()).containsExactly(new TracingSpec.Zipkin(URI.create("http://z:9411/api/v2/spans")),
                new TracingSpec.OtlpHttp(URI.create("http://c:4318/v1/traces"), false));
        assertThat(v2.headerFormat()).isEqualTo(TracingSpec.HeaderFormat.TRACE_CONTEXT);
    }

    @Test
    void refusalsSayWhatToWriteInstead() {
        assertThatThrownBy(() -> server("serviceName: g\n")).hasMessageContaining("tracing.exporter: is required");
        assertThatThrownBy(() -> server("serviceName: g\nexporter: {}\n")).hasMessageContaining("exporter cannot be empty");
        assertThatThrownBy(() -> server("exporter: {otlp: {protocol: http, endpoint: 'c:4318'}}\n"))
                .hasMessageContaining("tracing.serviceName");
        assertThatThrownBy(() -> server("serviceName: g\nexporter: {otlp: {protocol: quic, endpoint: 'c:4317'}}\n"))
                .hasMessageContaining("tracing.exporter.otlp.protocol: must be http or grpc");
        assertThatThrownBy(() -> server("serviceName: g\nexporter: {jaeger: {mode: collector, endpoint: 'http://j:14268/api/traces'}}\n"))
                .hasMessageContaining("tracing.exporter.jaeger: Jaeger's own protocols are not exported")
                .hasMessageContaining("take OTLP on port 4318");
        assertThatThrownBy(() -> server("serviceName: g\nzipkin: {serverURL: 'z:9411', sampleRate: 1}\n"))
                .hasMessageContaining("tracing.zipkin.serverURL: 'z:9411' is not an http(s) URL");
        assertThatThrownBy(() -> server("serviceName: g\nzipkin: {serverURL: 'http://z:9411/api/v2/spans'}\n"))
                .hasMessageContaining("tracing.zipkin.sampleRate: is required");
        assertThatThrownBy(() -> server("serviceName: g\nexporter: {zipkin: {}}\n"))
                .hasMessageContaining("tracing.exporter.zipkin.endpoint: is required");
        assertThatThrownBy(() -> server("serviceName: g\nzipkin: {serverURL: 'http://z/', sampleRate: 1}\n"
                + "exporter: {zipkin: {endpoint: 'http://z/'}}\n")).hasMessageContaining("exporter and zipkin cannot both be set");
        assertThatThrownBy(() -> server("serviceName: g\ntags: {a: b}\nattributes: {a: b}\nexporter: {otlp: {protocol: http, endpoint: 'c:1'}}\n"))
                .hasMessageContaining("tags and attributes cannot both be set");
        assertThatThrownBy(() -> server("serviceName: g\nsampleRate: 2\nexporter: {otlp: {protocol: http, endpoint: 'c:1'}}\n"))
                .hasMessageContaining("tracing.sampleRate: '2' is not a number from 0.0 to 1.0");
        assertThatThrownBy(() -> server("serviceName: g\nheaderFormat: jaeger\nexporter: {otlp: {protocol: http, endpoint: 'c:1'}}\n"))
                .hasMessageContaining("tracing.headerFormat: must be trace-context or b3");
        assertThatThrownBy(() -> server("serviceName: g\nexporter: {otlp: {protocol: http, endpoint: 'c:1', compresion: gzip}}\n"))
                .hasMessageContaining("compresion");
        assertThatThrownBy(() -> server("serviceName: g\nbatchLimits: {maxQueueSize: 10, maxExportBatchSize: 20}\n"
                + "exporter: {otlp: {protocol: http, endpoint: 'c:1'}}\n")).hasMessageContaining("must not exceed maxQueueSize (10)");
    }
}
