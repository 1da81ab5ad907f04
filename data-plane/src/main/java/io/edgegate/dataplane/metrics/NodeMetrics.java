package io.edgegate.dataplane.metrics;

import io.edgegate.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A data-plane node's metrics: the registry with its caps, each HTTPServer's request meters, the
 * filter results, and the node's own state. Series of objects that left the config are removed
 * after each apply.
 */
public final class NodeMetrics implements AutoCloseable {

    static final int MAX_SERIES_PER_METRIC = 10_000;

    private final Metrics metrics;
    private final Map<String, RequestMeters> servers = new ConcurrentHashMap<>();
    private final Counter applied;
    private final Counter rejected;
    private final io.micrometer.core.instrument.Timer appliedIn;
    private final io.micrometer.core.instrument.Timer rejectedIn;
    private final UpstreamStates upstreamStates;
    private final io.micrometer.core.instrument.MultiGauge certificateExpiries;
    private final TrafficWindow traffic = new TrafficWindow();
    /** The two latency histograms every request records into: kept outside Micrometer, striped (see LatencyHistogram). */
    private final HistogramFamily requestDurations;
    private final HistogramFamily upstreamDurations;
    private final Map<String, String> commonLabels;

    public NodeMetrics(String nodeId) {
        this(nodeId, true);
    }

    /** @param enabled false: meters record nothing, /metrics is empty and egctl top shows no traffic */
    public NodeMetrics(String nodeId, boolean enabled) {
        this.metrics = new Metrics(List.of(Tag.of("node", nodeId)), MAX_SERIES_PER_METRIC, enabled);
        this.commonLabels = Map.of("node", nodeId);
        int cap = enabled ? MAX_SERIES_PER_METRIC : 0;
        ThreadSlots slots = ThreadSlots.forNode();
        this.requestDurations = new HistogramFamily("edgegate_http_request_duration_seconds",
                "Time from a request's head to its response's head", List.of("server", "backend"), cap,
                enabled ? metrics::countDropped : n -> { }, slots);
        this.upstreamDurations = UpstreamStates.upstreamDurations(cap, enabled ? metrics::countDropped : n -> { }, slots);
        MeterRegistry registry = metrics.registry();
        this.applied = Counter.builder("edgegate.node.config.applies").tag("result", "applied")
                .description("Config revisions this node applied or rejected").register(registry);
        this.rejected = Counter.builder("edgegate.node.config.applies").tag("result", "rejected").register(registry);
        this.appliedIn = applyDuration("applied").register(registry);
        this.rejectedIn = applyDuration("rejected").register(registry);
        this.upstreamStates = new UpstreamStates(registry, upstreamDurations);
        this.certificateExpiries = io.micrometer.core.instrument.MultiGauge.builder("edgegate.tls.certificate.expiry").baseUnit("seconds")
                .description("When each certificate an HTTPServer serves expires (Unix time): alert before it does")
                .register(registry);
    }

    /** Adds the JVM's, the process's and the allocator's metrics: once the node serves, as they take a while to set up. */
    public void bindProcessMetrics() {
        metrics.bindProcessMetrics();
    }

    public MeterRegistry registry() {
        return metrics.registry();
    }

    /** Where the running Proxies report their pools' servers and circuits. */
    public UpstreamStates upstreamStates() {
        return upstreamStates;
    }

    public String scrape() {
        upstreamStates.refresh();
        StringBuilder text = new StringBuilder(metrics.scrape());
        requestDurations.render(text, commonLabels);
        upstreamDurations.render(text, commonLabels);
        return text.toString();
    }

    /** The request meters of an HTTPServer (the same across config versions, so counts carry on). */
    public RequestMeters server(String name) {
        return servers.computeIfAbsent(name, n -> new RequestMeters(metrics.registry(), n, requestDurations));
    }

    /** Gauges of what the node runs and whether its control plane is connected. */
    public void watchNode(LongSupplier appliedRevision, BooleanSupplier connected) {
        // Strong references: a gauge holds its object weakly, and these method references are held by nothing else.
        Gauge.builder("edgegate.node.applied.revision", appliedRevision, LongSupplier::getAsLong).strongReference(true)
                .description("The config revision this node serves").register(metrics.registry());
        Gauge.builder("edgegate.node.control.plane.connected", connected, c -> c.getAsBoolean() ? 1 : 0).strongReference(true)
                .description("1 while a control plane streams config to this node").register(metrics.registry());
    }

    /** Lines the access log wrote and dropped (its queue full, or its file not writable). */
    public void watchAccessLog(io.edgegate.dataplane.accesslog.AccessLog accessLog) {
        io.micrometer.core.instrument.FunctionCounter.builder("edgegate.access.log.lines", accessLog,
                        io.edgegate.dataplane.accesslog.AccessLog::written)
                .tag("outcome", "written").description("Access-log lines, written or dropped").register(metrics.registry());
        io.micrometer.core.instrument.FunctionCounter.builder("edgegate.access.log.lines", accessLog,
                        io.edgegate.dataplane.accesslog.AccessLog::dropped)
                .tag("outcome", "dropped").register(metrics.registry());
    }

    /** When this node's certificate (its identity to the control plane) expires, as Unix time: alert before it does. */
    public void watchCertificate(java.util.function.DoubleSupplier notAfterSeconds) {
        Gauge.builder("edgegate.node.certificate.expiry", notAfterSeconds, java.util.function.DoubleSupplier::getAsDouble)
                .strongReference(true).baseUnit("seconds")
                .description("When the node's control-channel certificate expires (Unix time; re-read when its file changes)")
                .register(metrics.registry());
    }

    /** After an apply: the certificates the servers now serve, by server and certificate name; the others' series go. */
    public void certificates(Map<String, Map<String, java.time.Instant>> byServer) {
        List<io.micrometer.core.instrument.MultiGauge.Row<?>> rows = new java.util.ArrayList<>();
        byServer.forEach((server, certificates) -> certificates.forEach((name, notAfter) -> rows.add(
                io.micrometer.core.instrument.MultiGauge.Row.of(io.micrometer.core.instrument.Tags.of("server", server, "certificate", name),
                        notAfter.getEpochSecond()))));
        certificateExpiries.register(rows, true);
    }

    /** The node's traffic since the previous call (all servers), for its heartbeat to the control plane. */
    public io.edgegate.api.v1.TrafficSummary trafficSinceLastCall() {
        TrafficWindow.Totals totals = new TrafficWindow.Totals();
        servers.values().forEach(meters -> meters.addTo(totals));
        return traffic.next(totals, System.nanoTime());
    }

    /** An apply took {@code nanos} from receiving the config to serving it. */
    public void applied(long nanos) {
        applied.increment();
        appliedIn.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** An apply took {@code nanos} to find the config could not be served. */
    public void rejected(long nanos) {
        rejected.increment();
        rejectedIn.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static io.micrometer.core.instrument.Timer.Builder applyDuration(String result) {
        return io.micrometer.core.instrument.Timer.builder("edgegate.node.config.apply.duration").tag("result", result)
                .description("Time from receiving a config revision to serving it (decode, build, swap) or refusing it")
                .serviceLevelObjectives(java.util.stream.Stream.of(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000)
                        .map(java.time.Duration::ofMillis).toArray(java.time.Duration[]::new));
    }

    /** The names the last {@link #keepOnly} kept; the updater calls it under its lock. */
    private Set<String> keptServers = Set.of();
    private Set<String> keptPipelines = Set.of();

    /**
     * After a rejected apply: the meters it made for servers that never went live go (the next
     * {@link #keepOnly} with the running names would find nothing changed and keep them).
     */
    public void forgetServersOtherThan(Set<String> serverNames) {
        if (serverNames.containsAll(servers.keySet())) {
            return;
        }
        metrics.removeUnless("server", serverNames);
        requestDurations.removeUnless("server", serverNames);
        servers.keySet().retainAll(serverNames);
    }

    /** After an apply: the series of servers and pipelines no longer in the config go. */
    public void keepOnly(Set<String> serverNames, Set<String> pipelineNames) {
        // Most applies keep every name (a route or a filter changed): nothing to look for among thousands of series.
        if (serverNames.equals(keptServers) && pipelineNames.equals(keptPipelines)) {
            return;
        }
        keptServers = Set.copyOf(serverNames);
        keptPipelines = Set.copyOf(pipelineNames);
        // Series first, then the caches: a request finishing in between re-makes (and keeps) a live meter.
        metrics.removeUnless("server", serverNames);
        Set<String> backends = new java.util.HashSet<>(pipelineNames);
        backends.add(RequestMeters.NO_BACKEND);
        metrics.removeUnless("backend", backends);
        metrics.removeUnless("pipeline", pipelineNames);
        requestDurations.removeUnless("server", serverNames);
        requestDurations.removeUnless("backend", backends);
        upstreamDurations.removeUnless("pipeline", pipelineNames);
        servers.keySet().retainAll(serverNames);
        servers.values().forEach(meters -> meters.keepOnly(pipelineNames));
    }

    @Override
    public void close() {
        metrics.close();
    }
}
