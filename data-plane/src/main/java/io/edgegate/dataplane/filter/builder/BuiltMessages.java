package io.edgegate.dataplane.filter.builder;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Requests and responses made from a builder's rendered YAML, with Easegress's rules: a
 * request's {@code method} (GET when empty, one of HTTP's methods), {@code url} ("/" when
 * empty), {@code headers} (name → list of values), {@code body} or {@code formData}
 * (multipart); a response's {@code statusCode} (200 when empty, 200–599), {@code headers} and
 * {@code body}. Anything else is a {@link BuildException}, which the builder returns as
 * {@code buildErr}.
 */
public final class BuiltMessages {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE");

    /** The rendered text cannot make a request or response. */
    public static final class BuildException extends RuntimeException {
        public BuildException(String message) {
            super(message);
        }
    }

    /** A request and its body. */
    public record BuiltRequest(HttpRequest head, byte[] body) {
    }

    /** A response and its body. */
    public record BuiltResponse(HttpResponse head, byte[] body) {
    }

    private BuiltMessages() {
    }

    public static BuiltRequest request(String rendered) {
        Map<String, Object> info = RenderedYaml.mapping(rendered);
        String method = RenderedYaml.string(info, "method").toUpperCase(Locale.ROOT);
        if (method.isEmpty()) {
            method = "GET";
        }
        if (!METHODS.contains(method)) {
            throw new BuildException("invalid method: " + method);
        }
        String url = RenderedYaml.string(info, "url");
        if (url.isEmpty()) {
            url = "/";
        }
        URI uri;
        try {
            uri = new URI(escaped(url));
        } catch (URISyntaxException e) {
            throw new BuildException("failed to create new request: parse \"" + url + "\": " + e.getReason());
        }
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), target);
        if (uri.getRawAuthority() != null) {
            head.headers().set(HttpHeaderNames.HOST, uri.getRawAuthority());
        }
        headers(info, head.headers());
        byte[] body = RenderedYaml.string(info, "body").getBytes(StandardCharsets.UTF_8);
        Map<String, Object> form = RenderedYaml.mappingOrEmpty(info, "formData");
        if (body.length == 0 && !form.isEmpty()) {
            // Not UUID.randomUUID: SecureRandom may block, and this runs on an event loop.
            String boundary = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong())
                    + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
            body = multipart(form, boundary);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "multipart/form-data; boundary=" + boundary);
        }
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        return new BuiltRequest(head, body);
    }

    /**
     * The URL with what Go's url.Parse takes but a URI may not hold (spaces, quotes, braces, non-ASCII) percent-encoded,
     * as Easegress's Proxy sends the parsed URL escaped. Control characters are refused, as Go refuses them.
     */
    private static String escaped(String url) {
        for (int i = 0; i < url.length(); i++) {
            if (url.charAt(i) < 0x20 || url.charAt(i) == 0x7f) {
                throw new BuildException("failed to create new request: parse \"" + url + "\": net/url: invalid control character in URL");
            }
        }
        return io.edgegate.dataplane.http.PercentEncoding.escapeUnsafe(url, "\"<>\\^`{|}");
    }

    public static BuiltResponse response(String rendered) {
        RenderedYaml.Fields fields = RenderedYaml.fields(rendered);
        Map<String, Object> info = fields.values();
        long code = RenderedYaml.integer(fields, "statusCode");
        if (code == 0) {
            code = 200;
        } else if (code < 200 || code >= 600) {
            throw new BuildException("invalid status code: " + code);
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf((int) code));
        headers(info, head.headers());
        byte[] body = RenderedYaml.string(info, "body").getBytes(StandardCharsets.UTF_8);
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        return new BuiltResponse(head, body);
    }

    private static void headers(Map<String, Object> info, io.netty.handler.codec.http.HttpHeaders into) {
        for (Map.Entry<String, Object> header : RenderedYaml.mappingOrEmpty(info, "headers").entrySet()) {
            if (!(header.getValue() instanceof List<?> values)) {
                if (header.getValue() == null) {
                    continue;
                }
                throw new BuildException("headers." + header.getKey() + ": cannot unmarshal " + RenderedYaml.kind(header.getValue())
                        + " into a list of strings");
            }
            for (Object value : values) {
                if (!(value instanceof String text)) {
                    throw new BuildException("headers." + header.getKey() + ": cannot unmarshal " + RenderedYaml.kind(value) + " into string");
                }
                try {
                    into.add(header.getKey(), text);
                } catch (IllegalArgumentException e) {
                    throw new BuildException("headers." + header.getKey() + ": " + e.getMessage());
                }
            }
        }
    }

    private static byte[] multipart(Map<String, Object> form, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, Object> field : form.entrySet()) {
            if (!(field.getValue() instanceof Map<?, ?> part)) {
                throw new BuildException("formData." + field.getKey() + ": expected fileName and value");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) part;
            String fileName = RenderedYaml.string(values, "fileName");
            String value = RenderedYaml.string(values, "value");
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(escapeQuotes(field.getKey())).append('"');
            if (!fileName.isEmpty()) {
                head.append("; filename=\"").append(escapeQuotes(fileName)).append("\"\r\nContent-Type: application/octet-stream");
            }
            head.append("\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String escapeQuotes(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
