package io.edgegate.dataplane.tracing;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * The trace id of a W3C {@code traceparent} header ({@code 00-<32 hex>-<16 hex>-<2 hex>}), for the
 * access log of a request that was not traced here: the client's trace still ties the line to it.
 */
final class TraceParent {

    private static final int TRACE_ID_START = 3;
    private static final int TRACE_ID_END = 35;

    private TraceParent() {
    }

    /**
     * The trace id, or empty when the header is absent or malformed as W3C reads it: version ff,
     * version 00 with anything after its 55 characters, or an all-zero trace id.
     */
    static String traceId(HttpHeaders headers) {
        String value = headers.get("traceparent");
        if (value == null || value.length() < 55 || value.charAt(2) != '-' || value.charAt(TRACE_ID_END) != '-'
                || value.startsWith("ff") || (value.startsWith("00") && value.length() != 55)) {
            return "";
        }
        boolean zero = true;
        for (int i = TRACE_ID_START; i < TRACE_ID_END; i++) {
            char c = value.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!hex) {
                return "";
            }
            zero &= c == '0';
        }
        return zero ? "" : value.substring(TRACE_ID_START, TRACE_ID_END);
    }
}
