package io.edgegate.dataplane.filter.grpcproxy;

import io.edgegate.spec.filter.proxy.ProxySpec;
import java.nio.charset.StandardCharsets;

/** A gRPC status code and message, as the proxy answers in place of its HTTP errors. */
record GrpcStatus(int code, String message) {

    static final int DEADLINE_EXCEEDED = 4;
    static final int RESOURCE_EXHAUSTED = 8;
    static final int INTERNAL = 13;
    static final int UNAVAILABLE = 14;

    /** The status for an answer the proxy made itself: its HTTP status and the filter's result say what went wrong. */
    static GrpcStatus forProxyAnswer(int httpStatus, String result) {
        if (result.equals(ProxySpec.RESULT_SHORT_CIRCUITED)) {
            return new GrpcStatus(UNAVAILABLE, "short circuited by circuit break policy");
        }
        return switch (httpStatus) {
            case 503 -> new GrpcStatus(UNAVAILABLE, "no server available");
            case 502 -> new GrpcStatus(UNAVAILABLE, "upstream unavailable");
            case 504 -> new GrpcStatus(DEADLINE_EXCEEDED, "upstream did not answer in time");
            case 413 -> new GrpcStatus(RESOURCE_EXHAUSTED, "request too large");
            default -> new GrpcStatus(INTERNAL, "proxy error (HTTP " + httpStatus + ")");
        };
    }

    /** The grpc-message header's form: percent-encoding of bytes outside printable ASCII and '%'. */
    String percentEncodedMessage() {
        StringBuilder out = new StringBuilder(message.length());
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
