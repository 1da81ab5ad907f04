package io.edgegate.dataplane.tracing;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;

/**
 * The trace of one request: its SERVER span, the filters' results as events on it, and a CLIENT
 * span per request sent upstream (each retry and mirror copy), whose context is what the
 * upstream receives. Lives on the request's event loop. {@link #NONE} is the request of a server
 * that does not trace: every call returns at once.
 */
public final class RequestTrace {

    public static final RequestTrace NONE = new RequestTrace(null, Span.getInvalid());
    /** As the SDK flags the new traces it makes: not sampled, and the trace id is random (W3C Trace Context level 2). */
    private static final TraceFlags NEW_UNSAMPLED = TraceFlags.builder().setRandomTraceId(true).build();

    private final Tracing tracing;
    /** Null for an unsampled new trace until its context is needed (most requests never need more than its ids). */
    private Span span;
    private final long traceHigh;
    private final long traceLow;
    private final long spanId;
    /** An unsampled new trace's W3C header, made once (retries and the mirror send the same). */
    private AsciiString traceparent;
    private boolean ended;

    RequestTrace(Tracing tracing, Span span) {
        this(tracing, span, 0, 0, 0);
    }

    private RequestTrace(Tracing tracing, Span span, long traceHigh, long traceLow, long spanId) {
        this.tracing = tracing;
        this.span = span;
        this.traceHigh = traceHigh;
        this.traceLow = traceLow;
        this.spanId = spanId;
    }

    /** A new trace not sampled here: only its ids, made into a context when the access log or an upstream asks. */
    static RequestTrace unsampledRoot(Tracing tracing, long traceHigh, long traceLow, long spanId) {
        return new RequestTrace(tracing, null, traceHigh, traceLow, spanId == 0 ? 1 : spanId);
    }

    private AsciiString traceparent() {
        if (traceparent == null) {
            traceparent = W3cTraceParent.unsampled(traceHigh, traceLow, spanId);
        }
        return traceparent;
    }

    private Span span() {
        if (span == null) {
            span = Span.wrap(SpanContext.create(TraceId.fromLongs(traceHigh, traceLow), SpanId.fromLong(spanId),
                    NEW_UNSAMPLED, TraceState.getDefault()));
        }
        return span;
    }

    /**
     * The trace id for the access log: this request's trace, or, when it is not traced here, the
     * one the client sent in {@code traceparent}; empty when there is none. Hex digits only.
     */
    public CharSequence traceId(HttpRequest head) {
        if (span == null && tracing.injectsW3cOnly()) {
            return W3cTraceParent.traceId(traceparent());
        }
        if (span().getSpanContext().isValid()) {
            return span.getSpanContext().getTraceId();
        }
        return TraceParent.traceId(head.headers());
    }

    /** A filter returned {@code result} (empty: it let the request on); an event on a sampled span. */
    public void filterResult(String filter, String result) {
        if (span != null && span.isRecording()) {
            span.addEvent(filter, result == null || result.isEmpty() ? Attributes.empty()
                    : Attributes.of(SemanticKeys.EDGEGATE_RESULT, result));
        }
    }

    /**
     * Starts the CLIENT span of one request to an upstream and writes its context into
     * {@code forwarded}'s headers, so the upstream's spans are its children. Without tracing the
     * headers the client sent pass on unchanged.
     */
    public UpstreamSpan startUpstream(HttpRequest forwarded, String spanName, String host, int port, String url, boolean mirror) {
        if (tracing == null) {
            return UpstreamSpan.NONE;
        }
        if (span == null && tracing.injectsW3cOnly()) {
            // A new trace not sampled here: its header straight from its ids.
            forwarded.headers().set(W3cTraceParent.NAME, traceparent());
            return UpstreamSpan.NONE;
        }
        if (!span().isRecording()) {
            // Not sampled here, so no child of it is either (parent-based sampling): the upstream gets
            // the request's own context, and no span is made per attempt.
            tracing.propagator().inject(Context.root().with(span), forwarded.headers(), HeadersCarrier.INSTANCE);
            return UpstreamSpan.NONE;
        }
        String method = forwarded.method().name();
        Span client = tracing.tracer().spanBuilder(spanName.isEmpty() ? method : spanName)
                .setParent(Context.root().with(span))
                .setSpanKind(SpanKind.CLIENT)
                .startSpan();
        tracing.propagator().inject(Context.root().with(client), forwarded.headers(), HeadersCarrier.INSTANCE);
        if (!client.isRecording()) {
            return UpstreamSpan.NONE;
        }
        var attributes = Attributes.builder()
                .put(SemanticKeys.HTTP_REQUEST_METHOD, method)
                .put(SemanticKeys.SERVER_ADDRESS, host)
                .put(SemanticKeys.SERVER_PORT, (long) port)
                .put(SemanticKeys.URL_FULL, url + forwarded.uri());
        if (mirror) {
            attributes.put(SemanticKeys.EDGEGATE_MIRROR, true);
        }
        client.setAllAttributes(attributes.build());
        return new UpstreamSpan(client);
    }

    /** The response head is ready: the span gets its status and ends (5xx marks it an error). */
    public void end(String pipeline, int status) {
        if (tracing == null || ended || span == null) {
            return;
        }
        ended = true;
        if (span.isRecording()) {
            span.setAttribute(SemanticKeys.HTTP_RESPONSE_STATUS_CODE, status);
            if (!pipeline.isEmpty()) {
                span.setAttribute(SemanticKeys.EDGEGATE_PIPELINE, pipeline);
            }
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
                span.setAttribute(SemanticKeys.ERROR_TYPE, Integer.toString(status));
            }
        }
        span.end();
    }

    /** The client went away before its answer: the span ends as an error. */
    public void abort() {
        if (tracing == null || ended || span == null) {
            return;
        }
        ended = true;
        span.setStatus(StatusCode.ERROR, "the client went away");
        span.setAttribute(SemanticKeys.ERROR_TYPE, "client_closed");
        span.end();
    }
}
