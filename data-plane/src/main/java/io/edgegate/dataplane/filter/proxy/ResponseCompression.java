package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.AcceptEncoding;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.CodedBody;
import io.edgegate.spec.filter.proxy.CompressionSpec;
import io.netty.handler.codec.compression.Brotli;
import io.netty.handler.codec.compression.BrotliEncoder;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.util.Locale;

/**
 * Decides whether an answer is compressed and wraps its body: a body that is big enough (or
 * of unknown size), of a type that compresses (text, JSON, JavaScript, XML, SVG, WebAssembly),
 * not already encoded, not a range and not marked no-transform, for a client whose Accept-Encoding
 * takes br or gzip. {@code Vary:
 * Accept-Encoding} is set on every answer of a compressible type, so caches keep the variants
 * apart.
 */
final class ResponseCompression {

    private static final int GZIP_LEVEL = 6;
    private static final boolean BROTLI = Brotli.isAvailable();

    private final int minLength;

    ResponseCompression(CompressionSpec spec) {
        this.minLength = spec.minLength();
    }

    /** The body to send: {@code body} itself, or compressed (the head's headers are updated to match). */
    BodyStream apply(HttpRequest request, HttpResponse head, BodyStream body) {
        HttpHeaders headers = head.headers();
        int status = head.status().code();
        // A range (206) counts bytes of the identity body: compressed, it would no longer match its Content-Range.
        if (request.method().equals(HttpMethod.HEAD) || status < 200 || status == 204 || status == 206 || status == 304
                || headers.contains(HttpHeaderNames.CONTENT_RANGE) || headers.contains(HttpHeaderNames.CONTENT_ENCODING)
                || !compressible(headers.get(HttpHeaderNames.CONTENT_TYPE)) || forbidsTransforming(headers)) {
            return body;
        }
        headers.add(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        long length = HttpUtil.getContentLength(head, -1L);
        if (length >= 0 && length < minLength) {
            return body;
        }
        String encoding = choose(String.join(",", request.headers().getAll(HttpHeaderNames.ACCEPT_ENCODING)));
        if (encoding == null) {
            return body;
        }
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        headers.set(HttpHeaderNames.CONTENT_ENCODING, encoding);
        // Other bytes than the identity body's, as NGINX marks them: a strong validator would claim they are the
        // same, and ranges of the compressed body are not offered.
        String etag = headers.get(HttpHeaderNames.ETAG);
        if (etag != null && etag.startsWith("\"")) {
            headers.set(HttpHeaderNames.ETAG, "W/" + etag);
        }
        headers.remove(HttpHeaderNames.ACCEPT_RANGES);
        return CodedBody.encoded(body, encoding.equals("br")
                ? new BrotliEncoder(StandardCompressionOptions.brotli())
                : ZlibCodecFactory.newZlibEncoder(ZlibWrapper.GZIP, GZIP_LEVEL));
    }

    /**
     * br when accepted and available, else gzip when accepted. q=0 refuses a coding; {@code *} stands for
     * the codings the header does not name (RFC 9110 §12.5.3), so {@code br;q=0, *} takes gzip, not br.
     */
    static String choose(String acceptEncoding) {
        if (BROTLI && AcceptEncoding.accepts(acceptEncoding, "br")) {
            return "br";
        }
        return AcceptEncoding.accepts(acceptEncoding, "gzip") ? "gzip" : null;
    }

    /** {@code Cache-Control: no-transform}: the sender forbids intermediaries to change the content (RFC 9110 §7.7). */
    private static boolean forbidsTransforming(HttpHeaders headers) {
        for (String value : headers.getAll(HttpHeaderNames.CACHE_CONTROL)) {
            for (String directive : value.split(",")) {
                if (directive.trim().equalsIgnoreCase("no-transform")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        if (semicolon >= 0) {
            type = type.substring(0, semicolon).trim();
        }
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/javascript") || type.equals("application/xml") || type.endsWith("+xml")
                || type.equals("image/svg+xml") || type.equals("application/wasm");
    }
}
