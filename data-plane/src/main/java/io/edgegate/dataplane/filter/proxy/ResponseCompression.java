package io.edgegate.dataplane.filter.proxy;

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
 * not already encoded, for a client whose Accept-Encoding takes br or gzip. {@code Vary:
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
        if (request.method().equals(HttpMethod.HEAD) || status < 200 || status == 204 || status == 304
                || headers.contains(HttpHeaderNames.CONTENT_ENCODING) || !compressible(headers.get(HttpHeaderNames.CONTENT_TYPE))) {
            return body;
        }
        headers.add(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        long length = HttpUtil.getContentLength(head, -1L);
        if (length >= 0 && length < minLength) {
            return body;
        }
        String encoding = choose(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
        if (encoding == null) {
            return body;
        }
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        headers.set(HttpHeaderNames.CONTENT_ENCODING, encoding);
        return CodedBody.encoded(body, encoding.equals("br")
                ? new BrotliEncoder(StandardCompressionOptions.brotli())
                : ZlibCodecFactory.newZlibEncoder(ZlibWrapper.GZIP, GZIP_LEVEL));
    }

    /** br when accepted and available, else gzip when accepted; q=0 refuses, * accepts both. */
    static String choose(String acceptEncoding) {
        if (acceptEncoding == null) {
            return null;
        }
        boolean br = false;
        boolean gzip = false;
        for (String entry : acceptEncoding.split(",")) {
            String[] parts = entry.trim().split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim();
                if (param.startsWith("q=")) {
                    try {
                        refused = Double.parseDouble(param.substring(2)) <= 0;
                    } catch (NumberFormatException e) {
                        refused = true;
                    }
                }
            }
            if (refused) {
                continue;
            }
            br |= coding.equals("br") || coding.equals("*");
            gzip |= coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("*");
        }
        if (br && BROTLI) {
            return "br";
        }
        return gzip ? "gzip" : null;
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
