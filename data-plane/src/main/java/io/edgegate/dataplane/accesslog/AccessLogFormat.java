package io.edgegate.dataplane.accesslog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How a record becomes a line: one JSON object, or NGINX's {@code combined} format. */
public enum AccessLogFormat {

    JSON {
        @Override
        LineFormatter formatter(String node) {
            return new JsonAccessLine(node);
        }

        @Override
        boolean logsReferer() {
            return false;
        }
    },

    /** {@code $remote_addr - - [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"}. */
    COMBINED {
        @Override
        LineFormatter formatter(String node) {
            return (out, r) -> out.utf8(r.clientIp() + " - - [" + NGINX_TIME.format(Instant.ofEpochMilli(r.epochMillis())) + "] \""
                    + escaped(r.method()) + " " + escaped(r.path()) + " " + escaped(r.protocol()) + "\" " + r.status() + " "
                    + r.responseBytes() + " \"" + quoted(r.referer()) + "\" \"" + quoted(r.userAgent()) + "\"");
        }

        @Override
        boolean logsReferer() {
            return true;
        }
    };

    private static final DateTimeFormatter NGINX_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** A formatter of lines for one event loop (or one caller) of the node {@code node}. */
    abstract LineFormatter formatter(String node);

    /** Whether lines show the Referer: if not, a request's record need not look it up. */
    abstract boolean logsReferer();

    /** The line of {@code record}, as a string of its own. */
    String line(String node, AccessRecord record) {
        LineBuffer out = new LineBuffer(256);
        formatter(node).append(out, record);
        return new String(out.bytes(), 0, out.length(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String quoted(String value) {
        return value.isEmpty() ? "-" : escaped(value);
    }

    /**
     * As NGINX's default log escaping: a quote, a backslash, control characters and DEL as {@code \xHH}, so a
     * client's path or User-Agent cannot close a field early or write terminal escapes into the log.
     */
    static String escaped(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean escape = c == '"' || c == '\\' || c < 0x20 || c == 0x7f;
            if (escape && out == null) {
                out = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (escape) {
                out.append("\\x").append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? value : out.toString();
    }

    public static AccessLogFormat parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "json" -> JSON;
            case "combined" -> COMBINED;
            default -> throw new IllegalArgumentException("access log format '" + text + "' is not json or combined");
        };
    }
}
