package io.edgegate.dataplane.tracing;

import io.edgegate.spec.server.TracingSpec;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.stream.Collectors;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/** The tracing of an HTTPServer's {@code tracing} block (Easegress's format), with a tracer provider of its own. */
final class ServerTracing {

    private ServerTracing() {
    }

    static Tracing start(TracingSpec spec, String nodeId) {
        AttributesBuilder resource = Attributes.builder()
                .put("service.name", spec.serviceName())
                .put("service.instance.id", nodeId);
        spec.attributes().forEach(resource::put);
        var limits = spec.spanLimits();
        var batch = spec.batchLimits();
        SdkTracerProviderBuilder provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(resource.build())))
                // New traces are sampled by Tracing (TraceIdRatioBased's rule, without an SDK span for the rest).
                .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
                .setSpanLimits(SpanLimits.builder()
                        .setMaxAttributeValueLength(limits.attributeValueLengthLimit() < 0 ? Integer.MAX_VALUE
                                : limits.attributeValueLengthLimit())
                        .setMaxNumberOfAttributes(unlimitedIfNegative(limits.attributeCountLimit()))
                        .setMaxNumberOfEvents(unlimitedIfNegative(limits.eventCountLimit()))
                        .setMaxNumberOfLinks(unlimitedIfNegative(limits.linkCountLimit()))
                        .setMaxNumberOfAttributesPerEvent(unlimitedIfNegative(limits.attributePerEventCountLimit()))
                        .setMaxNumberOfAttributesPerLink(unlimitedIfNegative(limits.attributePerLinkCountLimit()))
                        .build());
        for (TracingSpec.Exporter exporter : spec.exporters()) {
            provider.addSpanProcessor(BatchSpanProcessor.builder(exporter(exporter, batch.exportTimeout()))
                    .setMaxQueueSize(batch.maxQueueSize())
                    .setScheduleDelay(batch.batchTimeout())
                    .setExporterTimeout(batch.exportTimeout())
                    .setMaxExportBatchSize(batch.maxExportBatchSize())
                    .build());
        }
        SdkTracerProvider tracerProvider = provider.build();
        TextMapPropagator propagator = spec.headerFormat() == TracingSpec.HeaderFormat.B3
                ? B3Propagator.injectingSingleHeader() : W3CTraceContextPropagator.getInstance();
        String destinations = spec.exporters().stream().map(e -> e.endpoint().toString()).collect(Collectors.joining(" and "));
        return new Tracing(tracerProvider.get("io.edgegate.data-plane"), propagator, tracerProvider::shutdown,
                "tracing of " + spec.serviceName() + " to " + destinations, true, spec.sampleRate());
    }

    private static SpanExporter exporter(TracingSpec.Exporter exporter, Duration timeout) {
        if (exporter instanceof TracingSpec.OtlpHttp otlp) {
            return OtlpHttpSpanExporter.builder()
                    .setEndpoint(otlp.endpoint().toString())
                    .setCompression(otlp.gzip() ? "gzip" : "none")
                    .setTimeout(timeout)
                    .build();
        }
        if (exporter instanceof TracingSpec.OtlpGrpc grpc) {
            return new OtlpGrpcExporter(grpc.endpoint(), grpc.gzip(), timeout);
        }
        return new ZipkinSpanExporter(exporter.endpoint(), timeout);
    }

    private static int unlimitedIfNegative(int limit) {
        return limit < 0 ? Integer.MAX_VALUE : limit;
    }
}
