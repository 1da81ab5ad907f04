package io.edgegate.spec.server;

import io.edgegate.spec.codec.SpecObject;
import java.net.URI;
import java.time.Duration;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Easegress's HTTPServer {@code tracing} block: the requests of this server are traced under
 * {@code serviceName} (with {@code attributes}, or the older {@code tags}), sampled at
 * {@code sampleRate} (a client's sampled or unsampled trace is followed, OpenTelemetry's
 * parent-based sampling), and sent to every exporter given: OTLP over HTTP or gRPC, and Zipkin's v2 JSON.
 * {@code headerFormat} is the propagation format read from clients and sent upstream: W3C
 * {@code trace-context} or B3 (single header).
 *
 * <p>Easegress's {@code otlp.endpoint} is a {@code host:port} reached over HTTPS unless
 * {@code insecure}; a full URL is taken as it is, with {@code /v1/traces} added when it has no
 * path. Easegress v1's {@code zipkin} block (its {@code serverURL} and {@code sampleRate}) is read
 * as Easegress v2 reads it: one Zipkin exporter, B3 propagation. Exporters EdgeGate cannot speak
 * are refused with the way to reach them.
 */
public record TracingSpec(String serviceName, Map<String, String> attributes, double sampleRate, List<Exporter> exporters,
                          HeaderFormat headerFormat, SpanLimits spanLimits, BatchLimits batchLimits) {

    public enum HeaderFormat { TRACE_CONTEXT, B3 }

    /** Where spans go; each exporter gets a batch processor of its own, as in Easegress. */
    public sealed interface Exporter permits OtlpHttp, OtlpGrpc, Zipkin {
        URI endpoint();
    }

    /** OTLP over HTTP (protobuf), gzip-compressed or not. */
    public record OtlpHttp(URI endpoint, boolean gzip) implements Exporter {
    }

    /** OTLP over gRPC: {@code http://host:port} (plaintext, Easegress's {@code insecure}) or {@code https://host:port}. */
    public record OtlpGrpc(URI endpoint, boolean gzip) implements Exporter {
    }

    /** Zipkin's v2 JSON API, e.g. {@code http://zipkin:9411/api/v2/spans}. */
    public record Zipkin(URI endpoint) implements Exporter {
    }

    /** OpenTelemetry's span limits; a negative value means no limit. */
    public record SpanLimits(int attributeValueLengthLimit, int attributeCountLimit, int eventCountLimit, int linkCountLimit,
                             int attributePerEventCountLimit, int attributePerLinkCountLimit) {

        static final SpanLimits DEFAULT = new SpanLimits(-1, 128, 128, 128, 128, 128);
    }

    /** The batch span processor's bounds: a full queue drops spans, never blocks a request. */
    public record BatchLimits(int maxQueueSize, Duration batchTimeout, Duration exportTimeout, int maxExportBatchSize) {

        static final BatchLimits DEFAULT = new BatchLimits(2048, Duration.ofMillis(5000), Duration.ofMillis(30000), 512);
    }

    private static final String OTLP_INSTEAD = "; export OTLP instead (exporter.otlp with protocol: http), e.g. to an "
            + "OpenTelemetry Collector that forwards to it";

    public TracingSpec {
        attributes = Map.copyOf(attributes);
        exporters = List.copyOf(exporters);
    }

    static TracingSpec decode(SpecObject o) {
        String serviceName = o.requiredString("serviceName");
        Map<String, String> tags = o.stringMap("tags");
        Map<String, String> attributes = o.stringMap("attributes");
        if (o.has("tags") && o.has("attributes")) {
            o.error("tags", "tags and attributes cannot both be set; use attributes");
        }
        double sampleRate = o.number("sampleRate", 1, 0, 1);
        HeaderFormat format = switch (o.string("headerFormat", "trace-context")) {
            case "trace-context" -> HeaderFormat.TRACE_CONTEXT;
            case "b3" -> HeaderFormat.B3;
            default -> {
                o.error("headerFormat", "must be trace-context or b3");
                yield HeaderFormat.TRACE_CONTEXT;
            }
        };
        SpanLimits spanLimits = o.object("spanLimits").map(TracingSpec::spanLimits).orElse(SpanLimits.DEFAULT);
        BatchLimits batchLimits = o.object("batchLimits").map(TracingSpec::batchLimits).orElse(BatchLimits.DEFAULT);
        List<Exporter> exporters = new ArrayList<>();
        if (o.has("exporter") && o.has("zipkin")) {
            o.error("zipkin", "exporter and zipkin cannot both be set; give exporter.zipkin.endpoint instead");
        } else if (!o.has("exporter") && !o.has("zipkin")) {
            o.error("exporter", "is required (exporter.otlp: protocol, endpoint, or exporter.zipkin: endpoint)");
        }
        SpecObject deprecatedZipkin = o.object("zipkin").orElse(null);
        if (deprecatedZipkin != null) {
            // Easegress v1's block: its own sample rate, and B3 headers as Zipkin's tracers send them.
            zipkinUrl(deprecatedZipkin, "serverURL").ifPresent(url -> exporters.add(new Zipkin(url)));
            sampleRate = deprecatedZipkin.number("sampleRate", 1, 0, 1);
            if (!deprecatedZipkin.has("sampleRate")) {
                deprecatedZipkin.error("sampleRate", "is required (a number from 0.0 to 1.0)");
            }
            format = HeaderFormat.B3;
            // zipkin-go's options, which Easegress v2 accepts and ignores too: ids are 128-bit, spans never shared.
            deprecatedZipkin.string("hostport", "");
            deprecatedZipkin.bool("disableReport", false);
            deprecatedZipkin.bool("sameSpan", false);
            deprecatedZipkin.bool("id128Bit", false);
            deprecatedZipkin.finish();
        }
        SpecObject exporter = o.object("exporter").orElse(null);
        if (exporter != null) {
            exporter.object("jaeger").ifPresent(j -> {
                exporter.error("jaeger", "Jaeger's own protocols are not exported by EdgeGate; Jaeger 1.35 and later take OTLP on port 4318"
                        + OTLP_INSTEAD);
            });
            exporter.object("zipkin").ifPresent(zipkin -> {
                zipkinUrl(zipkin, "endpoint").ifPresent(url -> exporters.add(new Zipkin(url)));
                zipkin.finish();
            });
            exporter.object("otlp").ifPresent(otlp -> otlp(otlp).ifPresent(exporters::add));
            if (!exporter.has("otlp") && !exporter.has("jaeger") && !exporter.has("zipkin")) {
                exporter.error("exporter cannot be empty (give otlp: protocol, endpoint, or zipkin: endpoint)");
            }
            exporter.finish();
        }
        o.finish();
        return new TracingSpec(serviceName, o.has("tags") && !o.has("attributes") ? tags : attributes, sampleRate, exporters,
                format, spanLimits, batchLimits);
    }

    private static Optional<Exporter> otlp(SpecObject otlp) {
        String protocol = otlp.requiredString("protocol");
        if (!protocol.equals("http") && !protocol.equals("grpc") && !protocol.isEmpty()) {
            otlp.error("protocol", "must be http or grpc");
        }
        boolean insecure = otlp.bool("insecure", false);
        boolean gzip = switch (otlp.string("compression", "")) {
            case "" -> false;
            case "gzip" -> true;
            default -> {
                otlp.error("compression", "must be gzip or empty");
                yield false;
            }
        };
        String given = otlp.requiredString("endpoint");
        Optional<Exporter> exporter = Optional.empty();
        if (!given.isBlank()) {
            try {
                exporter = Optional.of(protocol.equals("grpc") ? new OtlpGrpc(grpcTarget(given, insecure), gzip)
                        : new OtlpHttp(otlpUrl(given, insecure), gzip));
            } catch (IllegalArgumentException e) {
                otlp.error("endpoint", "'" + given + "' is not host:port or an http(s) URL");
            }
        }
        otlp.finish();
        return exporter;
    }

    /** Zipkin's endpoint is a full URL (Easegress: {@code format=url}), e.g. {@code http://zipkin:9411/api/v2/spans}. */
    private static Optional<URI> zipkinUrl(SpecObject zipkin, String field) {
        String given = zipkin.requiredString(field);
        if (given.isBlank()) {
            return Optional.empty();
        }
        try {
            URI url = new URI(given);
            if ((!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) || url.getHost() == null) {
                throw new URISyntaxException(given, "not an http(s) URL");
            }
            return Optional.of(url);
        } catch (URISyntaxException e) {
            zipkin.error(field, "'" + given + "' is not an http(s) URL (Zipkin's is http://host:9411/api/v2/spans)");
            return Optional.empty();
        }
    }

    /** {@code host:port} as Go's OTLP/HTTP exporter reads it (HTTPS unless insecure, path /v1/traces), or a URL as given. */
    static URI otlpUrl(String endpoint, boolean insecure) {
        URI uri;
        if (endpoint.startsWith("http://") || endpoint.startsWith("https://")) {
            uri = URI.create(endpoint);
            if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
                uri = uri.resolve("/v1/traces");
            }
        } else {
            uri = URI.create((insecure ? "http://" : "https://") + endpoint + "/v1/traces");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host");
        }
        return uri;
    }

    /** Go's OTLP/gRPC exporter takes {@code host:port} (TLS unless insecure); a URL's scheme says it instead. */
    static URI grpcTarget(String endpoint, boolean insecure) {
        URI uri = endpoint.startsWith("http://") || endpoint.startsWith("https://") ? URI.create(endpoint)
                : URI.create((insecure ? "http://" : "https://") + endpoint);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host");
        }
        return uri.getPort() < 0 ? URI.create(uri.getScheme() + "://" + uri.getHost() + ":4317") : URI.create(uri.getScheme() + "://"
                + uri.getHost() + ":" + uri.getPort());
    }

    private static SpanLimits spanLimits(SpecObject o) {
        SpanLimits d = SpanLimits.DEFAULT;
        SpanLimits limits = new SpanLimits(
                o.integer("attributeValueLengthLimit", d.attributeValueLengthLimit(), -1, Integer.MAX_VALUE),
                o.integer("attributeCountLimit", d.attributeCountLimit(), -1, Integer.MAX_VALUE),
                o.integer("eventCountLimit", d.eventCountLimit(), -1, Integer.MAX_VALUE),
                o.integer("linkCountLimit", d.linkCountLimit(), -1, Integer.MAX_VALUE),
                o.integer("attributePerEventCountLimit", d.attributePerEventCountLimit(), -1, Integer.MAX_VALUE),
                o.integer("attributePerLinkCountLimit", d.attributePerLinkCountLimit(), -1, Integer.MAX_VALUE));
        o.finish();
        return limits;
    }

    /** Easegress v2 gives the two timeouts in milliseconds. */
    private static BatchLimits batchLimits(SpecObject o) {
        BatchLimits d = BatchLimits.DEFAULT;
        BatchLimits limits = new BatchLimits(
                o.integer("maxQueueSize", d.maxQueueSize(), 1, 1_000_000),
                Duration.ofMillis(o.longValue("batchTimeout", d.batchTimeout().toMillis(), 1, 3_600_000)),
                Duration.ofMillis(o.longValue("exportTimeout", d.exportTimeout().toMillis(), 1, 3_600_000)),
                o.integer("maxExportBatchSize", d.maxExportBatchSize(), 1, 1_000_000));
        if (limits.maxExportBatchSize() > limits.maxQueueSize()) {
            o.error("maxExportBatchSize", "must not exceed maxQueueSize (" + limits.maxQueueSize() + ")");
        }
        o.finish();
        return limits;
    }
}
