package io.edgegate.dataplane.tracing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends spans to a Zipkin server in its v2 JSON format ({@code POST /api/v2/spans}), which is what
 * Easegress's {@code zipkin} exporters speak. It runs on the batch span processor's thread, never
 * on a traffic event loop; a failed or refused post drops that batch, as the OTLP exporter does.
 */
final class ZipkinSpanExporter implements SpanExporter {

    private static final Logger LOG = LoggerFactory.getLogger(ZipkinSpanExporter.class);
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final AttributeKey<String> PEER_ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> PEER_PORT = AttributeKey.longKey("server.port");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient client;
    private final JsonFactory json = new JsonFactory();
    private final AtomicBoolean shutDown = new AtomicBoolean();

    ZipkinSpanExporter(URI endpoint, Duration timeout) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        if (shutDown.get()) {
            return CompletableResultCode.ofFailure();
        }
        HttpRequest post = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(encode(spans)))
                .build();
        CompletableResultCode result = new CompletableResultCode();
        client.sendAsync(post, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure != null) {
                LOG.warn("cannot export {} spans to Zipkin at {}: {}", spans.size(), endpoint, failure.toString());
                result.fail();
            } else if (response.statusCode() / 100 != 2) {
                LOG.warn("Zipkin at {} refused {} spans: HTTP {}", endpoint, spans.size(), response.statusCode());
                result.fail();
            } else {
                result.succeed();
            }
        });
        return result;
    }

    /** Zipkin's v2 model: ids in hex, times in microseconds, attributes as string tags, events as annotations. */
    byte[] encode(Collection<SpanData> spans) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512 * spans.size());
        try (JsonGenerator out = json.createGenerator(bytes)) {
            out.writeStartArray();
            for (SpanData span : spans) {
                writeSpan(out, span);
            }
            out.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeSpan(JsonGenerator out, SpanData span) throws IOException {
        out.writeStartObject();
        out.writeStringField("traceId", span.getTraceId());
        out.writeStringField("id", span.getSpanId());
        if (span.getParentSpanContext().isValid()) {
            out.writeStringField("parentId", span.getParentSpanId());
        }
        out.writeStringField("name", span.getName());
        String kind = kind(span.getKind());
        if (kind != null) {
            out.writeStringField("kind", kind);
        }
        out.writeNumberField("timestamp", span.getStartEpochNanos() / 1_000);
        out.writeNumberField("duration", Math.max(1, (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1_000));
        out.writeObjectFieldStart("localEndpoint");
        String service = span.getResource().getAttribute(SERVICE_NAME);
        out.writeStringField("serviceName", service == null ? "unknown_service" : service);
        out.writeEndObject();
        String peer = span.getAttributes().get(PEER_ADDRESS);
        if (span.getKind() == SpanKind.CLIENT && peer != null) {
            out.writeObjectFieldStart("remoteEndpoint");
            out.writeStringField(peer.indexOf(':') >= 0 ? "ipv6" : IPV4.matcher(peer).matches() ? "ipv4" : "serviceName", peer);
            Long port = span.getAttributes().get(PEER_PORT);
            if (port != null) {
                out.writeNumberField("port", port);
            }
            out.writeEndObject();
        }
        if (!span.getEvents().isEmpty()) {
            out.writeArrayFieldStart("annotations");
            for (EventData event : span.getEvents()) {
                out.writeStartObject();
                out.writeNumberField("timestamp", event.getEpochNanos() / 1_000);
                out.writeStringField("value", annotation(event));
                out.writeEndObject();
            }
            out.writeEndArray();
        }
        out.writeObjectFieldStart("tags");
        writeTags(out, span.getAttributes());
        if (span.getStatus().getStatusCode() == StatusCode.ERROR) {
            out.writeStringField("otel.status_code", "ERROR");
            out.writeStringField("error", span.getStatus().getDescription());
        }
        out.writeEndObject();
        out.writeEndObject();
    }

    private static void writeTags(JsonGenerator out, Attributes attributes) throws IOException {
        for (var entry : attributes.asMap().entrySet()) {
            Object value = entry.getValue();
            out.writeStringField(entry.getKey().getKey(), value instanceof java.util.List<?> list
                    ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(value));
        }
    }

    /** An event's name, then its attributes as Zipkin shows an annotation's value: {@code proxy {"result":"ok"}}. */
    private static String annotation(EventData event) {
        if (event.getAttributes().isEmpty()) {
            return event.getName();
        }
        StringBuilder value = new StringBuilder(event.getName()).append(" {");
        boolean first = true;
        for (var entry : event.getAttributes().asMap().entrySet()) {
            value.append(first ? "" : ",").append('"').append(entry.getKey().getKey()).append("\":\"")
                    .append(String.valueOf(entry.getValue()).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            first = false;
        }
        return value.append('}').toString();
    }

    private static String kind(SpanKind kind) {
        return switch (kind) {
            case SERVER -> "SERVER";
            case CLIENT -> "CLIENT";
            case PRODUCER -> "PRODUCER";
            case CONSUMER -> "CONSUMER";
            case INTERNAL -> null;
        };
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        shutDown.set(true);
        return CompletableResultCode.ofSuccess();
    }
}
