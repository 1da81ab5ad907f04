package io.edgegate.dataplane.tracing;

import io.netty.handler.codec.http.HttpRequest;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
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

    Tracing(Tracer tracer, TextMapPropagator propagator, Supplier<CompletableResultCode> shutdown, String description) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.shutdown = shutdown;
        this.description = description;
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
        Context parent = propagator.extract(Context.root(), head.headers(), HeadersCarrier.INSTANCE);
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

    Tracer tracer() {
        return tracer;
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
