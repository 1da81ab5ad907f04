package io.edgegate.dataplane.server;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;
import java.util.Optional;

/**
 * What a request head must satisfy before anything else looks at it. A refusal closes the
 * connection: after a framing problem the rest of the byte stream cannot be trusted, and a
 * request that could be read two ways (Content-Length and Transfer-Encoding) is how requests
 * are smuggled past a proxy.
 */
final class RequestChecks {

    /** As Envoy: more headers than this is an abuse, not a request. */
    static final int MAX_HEADERS = 100;

    private RequestChecks() {
    }

    record Refusal(HttpResponseStatus status, String reason) {
    }

    static Optional<Refusal> check(HttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            Throwable cause = request.decoderResult().cause();
            if (cause instanceof TooLongHttpLineException) {
                return refuse(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long");
            }
            if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
                return refuse(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers too large");
            }
            return refuse(HttpResponseStatus.BAD_REQUEST, "malformed request");
        }
        if (request.headers().size() > MAX_HEADERS) {
            return refuse(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "more than " + MAX_HEADERS + " headers");
        }
        List<String> transferEncodings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        List<String> lengths = request.headers().getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (!transferEncodings.isEmpty() && !lengths.isEmpty()) {
            return refuse(HttpResponseStatus.BAD_REQUEST, "both Content-Length and Transfer-Encoding");
        }
        if (lengths.size() > 1 || (lengths.size() == 1 && lengths.get(0).contains(","))) {
            return refuse(HttpResponseStatus.BAD_REQUEST, "more than one Content-Length");
        }
        if (!transferEncodings.isEmpty() && (transferEncodings.size() > 1
                || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(transferEncodings.get(0).trim()))) {
            return refuse(HttpResponseStatus.BAD_REQUEST, "unsupported Transfer-Encoding");
        }
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_1) && !request.headers().contains(HttpHeaderNames.HOST)) {
            return refuse(HttpResponseStatus.BAD_REQUEST, "missing Host header");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(HttpResponseStatus status, String reason) {
        return Optional.of(new Refusal(status, reason));
    }
}
