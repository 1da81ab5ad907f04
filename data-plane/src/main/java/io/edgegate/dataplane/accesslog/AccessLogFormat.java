package io.edgegate.dataplane.accesslog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.edgegate.dataplane.pipeline.ResponseFlag;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How a record becomes a line: one JSON object, or NGINX's {@code combined} format. */
public enum AccessLogFormat {

    JSON {
        @Override
        String line(String node, AccessRecord r) {
            StringWriter text = new StringWriter(256);
            try (JsonGenerator json = FACTORY.createGenerator(text)) {
                json.writeStartObject();
                json.writeStringField("time", Instant.ofEpochMilli(r.epochMillis()).toString());
                json.writeStringField("node", node);
                json.writeStringField("server", r.server());
                json.writeStringField("backend", r.backend());
                json.writeStringField("requestId", r.requestId());
                json.writeStringField("traceId", r.traceId());
                json.writeStringField("clientIp", r.clientIp());
                json.writeStringField("method", r.method());
                json.writeStringField("host", r.host());
                json.writeStringField("path", r.path());
                json.writeStringField("protocol", r.protocol());
                json.writeNumberField("status", r.status());
                json.writeStringField("filter", r.filter());
                json.writeStringField("result", r.result());
                json.writeStringField("upstream", r.upstream());
                if (r.upstreamStatus() > 0) {
                    json.writeNumberField("upstreamStatus", r.upstreamStatus());
                } else {
                    json.writeNullField("upstreamStatus");
                }
                json.writeStringField("responseFlags", ResponseFlag.format(r.responseFlags()));
                json.writeNumberField("durationMs", r.durationNanos() / 1_000_000.0);
                json.writeNumberField("requestBytes", r.requestBytes());
                json.writeStringField("userAgent", r.userAgent());
                json.writeEndObject();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return text.toString();
        }
    },

    /** {@code $remote_addr - - [$time_local] "$request" $status - "$http_referer" "$http_user_agent"} (no body size: it is logged at the head). */
    COMBINED {
        @Override
        String line(String node, AccessRecord r) {
            return r.clientIp() + " - - [" + NGINX_TIME.format(Instant.ofEpochMilli(r.epochMillis())) + "] \""
                    + r.method() + " " + r.path() + " " + r.protocol() + "\" " + r.status() + " - \""
                    + quoted(r.referer()) + "\" \"" + quoted(r.userAgent()) + "\"";
        }
    };

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final DateTimeFormatter NGINX_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    abstract String line(String node, AccessRecord record);

    private static String quoted(String value) {
        return value.isEmpty() ? "-" : value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    public static AccessLogFormat parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "json" -> JSON;
            case "combined" -> COMBINED;
            default -> throw new IllegalArgumentException("access log format '" + text + "' is not json or combined");
        };
    }
}
