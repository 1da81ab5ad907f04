package io.edgegate.dataplane.tracing;

import io.netty.util.AsciiString;

/**
 * The W3C {@code traceparent} of a new, unsampled trace ({@code 00-<trace id>-<span id>-02}: not
 * sampled, random trace id), written straight from the ids into the bytes of the header value:
 * no span context, context or propagator objects for the 99 % of requests not sampled.
 */
final class W3cTraceParent {

    static final AsciiString NAME = AsciiString.cached("traceparent");
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int TRACE_ID_AT = 3;
    private static final int SPAN_ID_AT = 36;

    private W3cTraceParent() {
    }

    static AsciiString unsampled(long traceHigh, long traceLow, long spanId) {
        byte[] value = new byte[55];
        value[0] = '0';
        value[1] = '0';
        value[2] = '-';
        hex(traceHigh, value, TRACE_ID_AT);
        hex(traceLow, value, TRACE_ID_AT + 16);
        value[35] = '-';
        hex(spanId, value, SPAN_ID_AT);
        value[52] = '-';
        value[53] = '0';
        value[54] = '2';
        return new AsciiString(value, false);
    }

    /** The 32 hex digits of the trace id in {@code traceparent}: a view of its bytes, not a copy. */
    static AsciiString traceId(AsciiString traceparent) {
        return traceparent.subSequence(TRACE_ID_AT, TRACE_ID_AT + 32, false);
    }

    private static void hex(long value, byte[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }
}
