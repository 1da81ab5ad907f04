package io.edgegate.dataplane.tracing;

import io.netty.handler.codec.http.HttpHeaders;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/** How OpenTelemetry's propagators read trace headers from a request head and write them to one. */
final class HeadersCarrier implements TextMapGetter<HttpHeaders>, TextMapSetter<HttpHeaders> {

    static final HeadersCarrier INSTANCE = new HeadersCarrier();

    private HeadersCarrier() {
    }

    @Override
    public Iterable<String> keys(HttpHeaders headers) {
        return headers.names();
    }

    @Override
    public String get(HttpHeaders headers, String key) {
        return headers == null ? null : headers.get(key);
    }

    @Override
    public void set(HttpHeaders headers, String key, String value) {
        if (headers != null) {
            headers.set(key, value);
        }
    }
}
