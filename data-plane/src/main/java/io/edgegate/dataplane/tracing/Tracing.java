package io.edgegate.dataplane.tracing;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * One way of tracing requests: a tracer (with its sampler and exporter) and the propagation
 * format read from clients and sent upstream. Built once per config (the node's, or an
 * HTTPServer's {@code tracing} block) and shared by every request of the servers using it;
 * {@link #off()} traces nothing and costs nothing per request.
 */
public final class Tracing {

    private static final Tracing OFF = new Tracing(null, TextMapPropagator.noop(), CompletableResultCode::ofSuccess, "off");

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final Supplier<CompletableResultCode> shutdown;
    private final String description;
    /** Whether new traces are sampled here (the tracer's own sampler then takes every root it is given). */
    private final boolean samplesRoots;
    /** {@code TraceIdRatioBased}'s rule: a new trace is sampled when |the low 64 bits of its id| are below this. */
    private final long rootIdUpperBound;
    /** The headers the propagator reads: a request with none of them starts a new trace without parsing. */
    private final AsciiString[] contextHeaders;
    /** The propagator writes W3C's traceparent (and tracestate) only: an unsampled new trace's header can be written directly. */
    private final boolean w3cOnly;

    /** Tracing whose sampler and propagator the SDK was configured with by someone else (the {@code OTEL_*} variables). */
    Tracing(Tracer tracer, TextMapPropagator propagator, Supplier<CompletableResultCode> shutdown, String description) {
        this(tracer, propagator, shutdown, description, false, 0);
    }

    /**
     * @param samplesRoots   true when the tracer samples every root span and parents as {@code ParentBased} does, and
     *                       {@code propagator} reads only its {@link TextMapPropagator#fields()}: new traces are then
     *                       sampled here, by {@code rootSampleRatio} as {@code TraceIdRatioBased} does, and an
     *                       unsampled one costs no SDK span
     */
    Tracing(Tracer tracer, TextMapPropagator propagator, Supplier<CompletableResultCode> shutdown, String description,
            boolean samplesRoots, double rootSampleRatio) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.shutdown = shutdown;
        this.description = description;
        this.samplesRoots = samplesRoots;
        this.rootIdUpperBound = rootSampleRatio <= 0 ? Long.MIN_VALUE : rootSampleRatio >= 1 ? Long.MAX_VALUE
                : (long) (rootSampleRatio * Long.MAX_VALUE);
        // As AsciiStrings their hashes are computed once, not per lookup.
        this.contextHeaders = propagator.fields().stream().map(AsciiString::cached).toArray(AsciiString[]::new);
        this.w3cOnly = propagator == W3CTraceContextPropagator.getInstance();
    }

    public static Tracing off() {
        return OFF;
    }

    public boolean enabled() {
        return tracer != null;
    }

    /**
     * Starts the SERVER span of a request: its parent is the trace the client sent (if any), so a
     * client's unsampled trace stays unsampled here.
     */
    public RequestTrace startServer(HttpRequest head, String server, String scheme, SocketAddress client, boolean http2) {
        if (tracer == null) {
            return RequestTrace.NONE;
        }
        Context parent = samplesRoots && !carriesContext(head.headers()) ? Context.root()
                : propagator.extract(Context.root(), head.headers(), HeadersCarrier.INSTANCE);
        if (samplesRoots && !Span.fromContext(parent).getSpanContext().isValid()) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long high = random.nextLong();
            long low = random.nextLong();
            if (!sampledRoot(low)) {
                // Not sampled (most requests): ids for the access log and the upstream, and no span object.
                return RequestTrace.unsampledRoot(this, high, high == 0 && low == 0 ? 1 : low, random.nextLong());
            }
        }
        String method = head.method().name();
        Span span = tracer.spanBuilder(method + " " + server)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .startSpan();
        if (span.isRecording()) {
            String uri = head.uri();
            int query = uri.indexOf('?');
            String host = head.headers().get("host");
            span.setAllAttributes(Attributes.builder()
                    .put(SemanticKeys.HTTP_REQUEST_METHOD, method)
                    .put(SemanticKeys.URL_PATH, query < 0 ? uri : uri.substring(0, query))
                    .put(SemanticKeys.URL_SCHEME, scheme)
                    .put(SemanticKeys.SERVER_ADDRESS, host == null ? "" : hostOnly(host))
                    .put(SemanticKeys.CLIENT_ADDRESS, client instanceof InetSocketAddress a && a.getAddress() != null
                            ? a.getAddress().getHostAddress() : String.valueOf(client))
                    .put(SemanticKeys.NETWORK_PROTOCOL_VERSION, http2 ? "2" : head.protocolVersion().minorVersion() == 0 ? "1.0" : "1.1")
                    .put(SemanticKeys.EDGEGATE_SERVER, server)
                    .build());
            String agent = head.headers().get("user-agent");
            if (agent != null) {
                span.setAttribute(SemanticKeys.USER_AGENT, agent);
            }
        }
        return new RequestTrace(this, span);
    }

    private boolean sampledRoot(long lowTraceIdBits) {
        return rootIdUpperBound == Long.MAX_VALUE || Math.abs(lowTraceIdBits) < rootIdUpperBound;
    }

    private boolean carriesContext(HttpHeaders headers) {
        for (AsciiString name : contextHeaders) {
            if (headers.contains(name)) {
                return true;
            }
        }
        return false;
    }

    Tracer tracer() {
        return tracer;
    }

    boolean injectsW3cOnly() {
        return w3cOnly;
    }

    TextMapPropagator propagator() {
        return propagator;
    }

    /** Stops exporting; spans already ended are still sent, in the background. */
    public CompletableResultCode shutdown() {
        return shutdown.get();
    }

    @Override
    public String toString() {
        return description;
    }

    private static String hostOnly(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
