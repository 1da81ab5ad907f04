package io.edgegate.dataplane.tracing;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The node's own tracing, for servers without a {@code tracing} block: OpenTelemetry's SDK
 * configured from the standard {@code OTEL_*} environment variables (and system properties),
 * with EdgeGate's defaults under them — parent-based sampling of {@code --trace-sample} of new
 * traces, OTLP over HTTP, W3C trace context. It is on when an OTLP endpoint is given
 * ({@code --otlp-endpoint}, which wins, or {@code OTEL_EXPORTER_OTLP[_TRACES]_ENDPOINT}) or
 * {@code OTEL_TRACES_EXPORTER} names an exporter; {@code OTEL_SDK_DISABLED=true} turns it off.
 */
public final class NodeTracing {

    private NodeTracing() {
    }

    /**
     * @param environment the process's environment (System.getenv()), read only to decide whether
     *                    tracing is wanted: the SDK reads the variables itself
     */
    public static Tracing start(String nodeId, Optional<String> endpoint, double sample, Map<String, String> environment) {
        if (sample < 0 || sample > 1) {
            throw new IllegalArgumentException("--trace-sample must be from 0 to 1, got " + sample);
        }
        if ("true".equalsIgnoreCase(environment.getOrDefault("OTEL_SDK_DISABLED", "false")) || !wanted(endpoint, environment)) {
            return Tracing.off();
        }
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.service.name", "edgegate-data-plane");
        defaults.put("otel.resource.attributes", "service.instance.id=" + nodeId);
        // The node id is the instance id: the SDK's random one would only be replaced (with a warning).
        defaults.put("otel.java.disabled.resource.providers", "io.opentelemetry.sdk.autoconfigure.ServiceInstanceIdResourceProvider");
        // Unless the operator chose a sampler or propagators, new traces are sampled by Tracing (TraceIdRatioBased's
        // rule, without an SDK span for the unsampled ones) and the SDK takes every root it is given.
        boolean ownSampling = !operatorConfigures(environment);
        defaults.put("otel.traces.sampler", ownSampling ? "parentbased_always_on" : "parentbased_traceidratio");
        defaults.put("otel.traces.sampler.arg", Double.toString(sample));
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        // Baggage passes upstream as a header like any other; re-injecting it would only cost.
        defaults.put("otel.propagators", "tracecontext");
        // Only traces: metrics are scraped from /metrics and logs are files.
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        Map<String, String> overrides = new HashMap<>();
        endpoint.ifPresent(url -> {
            overrides.put("otel.exporter.otlp.traces.endpoint", url);
            overrides.put("otel.traces.exporter", "otlp");
            overrides.put("otel.exporter.otlp.traces.protocol", "http/protobuf");
        });
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> defaults)
                    .addPropertiesCustomizer(config -> overrides)
                    .disableShutdownHook()
                    .build()
                    .getOpenTelemetrySdk();
        } catch (ConfigurationException e) {
            throw new IllegalArgumentException("tracing: " + e.getMessage(), e);
        }
        return new Tracing(sdk.getTracer("io.edgegate.data-plane"), sdk.getPropagators().getTextMapPropagator(),
                () -> sdk.getSdkTracerProvider().shutdown(), "node tracing to " + endpoint.orElse("the OTEL_* endpoint"),
                ownSampling, sample);
    }

    /** Whether the sampler, the propagators or a whole configuration file come from the operator's OTEL_* settings. */
    private static boolean operatorConfigures(Map<String, String> environment) {
        for (String key : new String[] {"OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG", "OTEL_PROPAGATORS", "OTEL_CONFIG_FILE",
                "OTEL_EXPERIMENTAL_CONFIG_FILE"}) {
            String property = key.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            if (environment.containsKey(key) || System.getProperty(property) != null) {
                return true;
            }
        }
        return false;
    }

    private static boolean wanted(Optional<String> endpoint, Map<String, String> environment) {
        if (endpoint.isPresent()) {
            return true;
        }
        String exporter = environment.get("OTEL_TRACES_EXPORTER");
        if (exporter != null) {
            return !exporter.isBlank() && !exporter.equalsIgnoreCase("none");
        }
        return environment.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT") || environment.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    }
}
