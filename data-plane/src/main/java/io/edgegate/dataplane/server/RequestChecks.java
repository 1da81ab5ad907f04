package io.edgegate.dataplane.server;

import io.edgegate.dataplane.route.RequestTarget;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
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
        if (request.protocolVersion().majorVersion() != 1) {
            // As Go's server (Easegress) answers "GET / HTTP/2.0" on an HTTP/1 connection; HTTP/2 comes with its preface.
            return refuse(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "unsupported protocol version");
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
        if (request.method().equals(HttpMethod.CONNECT)) {
            // A gateway, not a forward proxy; forwarded, a CONNECT answered 2xx would leave its upstream connection raw bytes.
            return refuse(HttpResponseStatus.METHOD_NOT_ALLOWED, "CONNECT is not served");
        }
        if (lengths.isEmpty() && isHixie76Handshake(request)) {
            // Netty's decoder takes the 8 bytes after such a head as its body (a WebSocket draft of 2010); RFC 9112
            // gives it none. The connection closes: the next request's first bytes may already have been taken.
            return refuse(HttpResponseStatus.BAD_REQUEST, "draft-76 WebSocket handshakes are not served");
        }
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_1) && !request.headers().contains(HttpHeaderNames.HOST)) {
            return refuse(HttpResponseStatus.BAD_REQUEST, "missing Host header");
        }
        Optional<Refusal> host = checkHost(request);
        if (host.isPresent()) {
            return host;
        }
        if (hasControlCharacter(request.uri())) {
            // Go's server (Easegress) refuses these too; forwarded, they reach an upstream that may read the target otherwise.
            return refuse(HttpResponseStatus.BAD_REQUEST, "the request target holds a control character");
        }
        if (RequestTarget.hasBrokenEscape(RequestTarget.path(request.uri()))) {
            // As Go's server (Easegress): a path that does not decode could not be routed as the upstream reads it.
            return refuse(HttpResponseStatus.BAD_REQUEST, "the path holds a broken percent-escape");
        }
        String target = TargetForm.normalize(request);
        return target == null ? Optional.empty() : refuse(HttpResponseStatus.BAD_REQUEST, target);
    }

    private static boolean isHixie76Handshake(HttpRequest request) {
        return request.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_KEY1)
                && request.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_KEY2);
    }

    private static boolean hasControlCharacter(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c < ' ' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /**
     * An HTTP/2 request, after Netty's conversion (which already refused duplicate pseudo-headers
     * and a {@code host} that differs from {@code :authority}, and merged one that equals it).
     */
    static Optional<Refusal> checkHttp2(HttpRequest request) {
        if (request.headers().size() > MAX_HEADERS) {
            return refuse(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "more than " + MAX_HEADERS + " headers");
        }
        Optional<Refusal> host = checkHost(request);
        if (host.isPresent()) {
            return host;
        }
        String path = request.uri();
        if (path.equals("*")) {
            return request.method().equals(HttpMethod.OPTIONS) ? Optional.empty()
                    : refuse(HttpResponseStatus.BAD_REQUEST, "'*' is a :path for OPTIONS only");
        }
        if (!path.startsWith("/")) {
            return refuse(HttpResponseStatus.BAD_REQUEST, "the :path is not a path");
        }
        if (path.indexOf(' ') >= 0 || hasControlCharacter(path)) {
            // HTTP/1.1 ends a request line's target at a space or tab: sent on, the upstream would read another target.
            return refuse(HttpResponseStatus.BAD_REQUEST, "the :path holds a space or control character");
        }
        if (RequestTarget.hasBrokenEscape(RequestTarget.path(path))) {
            return refuse(HttpResponseStatus.BAD_REQUEST, "the :path holds a broken percent-escape");
        }
        return Optional.empty();
    }

    /** One Host, a valid host[:port]: RFC 9112 §3.2 makes a server answer 400 to anything else. */
    private static Optional<Refusal> checkHost(HttpRequest request) {
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return refuse(HttpResponseStatus.BAD_REQUEST, "more than one Host header");
        }
        if (hosts.size() == 1 && !HostHeader.isValid(hosts.get(0))) {
            return refuse(HttpResponseStatus.BAD_REQUEST, "the Host header is not a valid host[:port]");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(HttpResponseStatus status, String reason) {
        return Optional.of(new Refusal(status, reason));
    }
}
