package io.edgegate.dataplane.accesslog;

import io.edgegate.dataplane.pipeline.ResponseFlag;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How a record becomes a line: one JSON object, or NGINX's {@code combined} format. */
public enum AccessLogFormat {

    JSON {
        @Override
        void append(LineBuffer out, String node, AccessRecord r) {
            JsonLine json = new JsonLine(out)
                    .time(K_TIME, r.epochMillis())
                    .string(K_NODE, node)
                    // Names the spec validated and hex ids: nothing to escape.
                    .plain(K_SERVER, r.server())
                    .plain(K_BACKEND, r.backend())
                    .string(K_REQUESTID, r.requestId())
                    .plain(K_TRACEID, r.traceId())
                    .string(K_CLIENTIP, r.clientIp())
                    .string(K_METHOD, r.method())
                    .string(K_HOST, r.host())
                    .string(K_PATH, r.path())
                    .string(K_PROTOCOL, r.protocol())
                    .number(K_STATUS, r.status())
                    .string(K_FILTER, r.filter())
                    .string(K_RESULT, r.result())
                    .string(K_UPSTREAM, r.upstream());
            if (r.upstreamStatus() > 0) {
                json.number(K_UPSTREAMSTATUS, r.upstreamStatus());
            } else {
                json.nullValue(K_UPSTREAMSTATUS);
            }
            json.string(K_RESPONSEFLAGS, ResponseFlag.format(r.responseFlags()))
                    .millis(K_DURATIONMS, r.durationNanos())
                    .number(K_REQUESTBYTES, r.requestBytes())
                    .number(K_RESPONSEBYTES, r.responseBytes())
                    .millis(K_TOTALMS, r.totalNanos())
                    .string(K_USERAGENT, r.userAgent())
                    .close();
        }
    },

    /** {@code $remote_addr - - [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"}. */
    COMBINED {
        @Override
        void append(LineBuffer out, String node, AccessRecord r) {
            out.utf8(r.clientIp() + " - - [" + NGINX_TIME.format(Instant.ofEpochMilli(r.epochMillis())) + "] \""
                    + r.method() + " " + r.path() + " " + r.protocol() + "\" " + r.status() + " " + r.responseBytes() + " \""
                    + quoted(r.referer()) + "\" \"" + quoted(r.userAgent()) + "\"");
        }
    };

    private static final JsonLine.Key K_TIME = JsonLine.key("time");
    private static final JsonLine.Key K_NODE = JsonLine.key("node");
    private static final JsonLine.Key K_SERVER = JsonLine.key("server");
    private static final JsonLine.Key K_BACKEND = JsonLine.key("backend");
    private static final JsonLine.Key K_REQUESTID = JsonLine.key("requestId");
    private static final JsonLine.Key K_TRACEID = JsonLine.key("traceId");
    private static final JsonLine.Key K_CLIENTIP = JsonLine.key("clientIp");
    private static final JsonLine.Key K_METHOD = JsonLine.key("method");
    private static final JsonLine.Key K_HOST = JsonLine.key("host");
    private static final JsonLine.Key K_PATH = JsonLine.key("path");
    private static final JsonLine.Key K_PROTOCOL = JsonLine.key("protocol");
    private static final JsonLine.Key K_STATUS = JsonLine.key("status");
    private static final JsonLine.Key K_FILTER = JsonLine.key("filter");
    private static final JsonLine.Key K_RESULT = JsonLine.key("result");
    private static final JsonLine.Key K_UPSTREAM = JsonLine.key("upstream");
    private static final JsonLine.Key K_UPSTREAMSTATUS = JsonLine.key("upstreamStatus");
    private static final JsonLine.Key K_RESPONSEFLAGS = JsonLine.key("responseFlags");
    private static final JsonLine.Key K_DURATIONMS = JsonLine.key("durationMs");
    private static final JsonLine.Key K_REQUESTBYTES = JsonLine.key("requestBytes");
    private static final JsonLine.Key K_RESPONSEBYTES = JsonLine.key("responseBytes");
    private static final JsonLine.Key K_TOTALMS = JsonLine.key("totalMs");
    private static final JsonLine.Key K_USERAGENT = JsonLine.key("userAgent");
    private static final DateTimeFormatter NGINX_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Appends {@code record}'s line (without its newline) to {@code out}, as UTF-8. */
    abstract void append(LineBuffer out, String node, AccessRecord record);

    /** The line of {@code record}, as a string of its own. */
    String line(String node, AccessRecord record) {
        LineBuffer out = new LineBuffer(256);
        append(out, node, record);
        return new String(out.bytes(), 0, out.length(), java.nio.charset.StandardCharsets.UTF_8);
    }

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
