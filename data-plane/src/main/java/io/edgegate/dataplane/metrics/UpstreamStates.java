package io.edgegate.dataplane.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Whether each upstream server is in its pool's rotation and the state of each pool's circuit, as
 * gauges. The running Proxies report their pools when a scrape asks (their members change with
 * registries and health checks), and the gauge rows are replaced as a whole: servers, pools and
 * Proxies that are gone leave no series behind.
 */
public final class UpstreamStates {

    /** One upstream server of a pool: in the rotation (health checks), and ejected (outlier detection). */
    public record Server(String pipeline, String proxy, String pool, String upstream, boolean healthy, boolean ejected) {
    }

    /** A pool's circuit and its state (CLOSED, OPEN or HALF_OPEN). */
    public record Circuit(String pipeline, String proxy, String pool, String state) {
    }

    /** What a running Proxy reports of its pools. */
    public interface Source {
        void report(List<Server> servers, List<Circuit> circuits);
    }

    private static final List<String> CIRCUIT_STATES = List.of("CLOSED", "OPEN", "HALF_OPEN");

    private final Set<Source> sources = ConcurrentHashMap.newKeySet();
    /** Each Proxy's meters by (pipeline, proxy name); guarded by itself. */
    private final Map<List<String>, UpstreamMeters> byProxy = new HashMap<>();
    private final MeterRegistry registry;
    private final HistogramFamily durations;
    private final MultiGauge up;
    private final MultiGauge ejected;
    private final MultiGauge circuit;

    /** States of Proxies outside a node (tests, tools): their latencies go to a family of their own. */
    public UpstreamStates(MeterRegistry registry) {
        this(registry, upstreamDurations(10_000));
    }

    UpstreamStates(MeterRegistry registry, HistogramFamily durations) {
        this.registry = registry;
        this.durations = durations;
        this.up = MultiGauge.builder("edgegate.upstream.up")
                .description("1 while the upstream server is in its pool's rotation (health checks and outlier detection)")
                .register(registry);
        this.ejected = MultiGauge.builder("edgegate.upstream.ejected")
                .description("1 while outlier detection keeps the upstream server out of its pool's rotation")
                .register(registry);
        this.circuit = MultiGauge.builder("edgegate.upstream.circuit.state")
                .description("1 for the state the pool's circuit is in")
                .register(registry);
    }

    /**
     * The meters of one Proxy: answers and errors by upstream server, and their latency, shared by its
     * live filters: a changed Proxy is a new filter whose counts go on from the old one's, as its series
     * do. {@code inUse} gives the URLs of the servers this filter's pools hold now; the series of servers
     * no live filter holds go when a new server is first measured. Give them back with {@link #release}
     * when the filter closes.
     */
    public UpstreamMeters meters(String pipeline, String proxy, Supplier<Set<String>> inUse) {
        synchronized (byProxy) {
            UpstreamMeters meters = byProxy.computeIfAbsent(List.of(pipeline, proxy),
                    key -> new UpstreamMeters(registry, pipeline, proxy, durations));
            meters.addUser(inUse);
            return meters;
        }
    }

    /** A filter that took {@code meters} closed: when it was the Proxy's last, the Proxy's series go. */
    public void release(UpstreamMeters meters, Supplier<Set<String>> inUse) {
        synchronized (byProxy) {
            if (meters.removeUser(inUse)) {
                byProxy.remove(List.of(meters.pipeline(), meters.proxy()), meters);
            }
        }
    }

    static HistogramFamily upstreamDurations(int maxSeries, java.util.function.LongConsumer dropped, ThreadSlots slots) {
        return new HistogramFamily("edgegate_upstream_request_duration_seconds",
                "Time from sending to an upstream server to its answer's head (or the failure)",
                List.of("pipeline", "proxy", "upstream"), maxSeries, dropped, slots);
    }

    /** Latencies of Proxies outside a node, which nothing scrapes: every thread records into one locked set of counts. */
    static HistogramFamily upstreamDurations(int maxSeries) {
        return upstreamDurations(maxSeries, n -> { }, ThreadSlots.NONE);
    }

    public void add(Source source) {
        sources.add(source);
    }

    public void remove(Source source) {
        sources.remove(source);
    }

    /** Asks every running Proxy for its pools, and makes the gauges say that (only that). */
    public void refresh() {
        List<Server> servers = new ArrayList<>();
        List<Circuit> circuits = new ArrayList<>();
        sources.forEach(source -> source.report(servers, circuits));
        up.register(servers.stream().map(s -> MultiGauge.Row.of(tags(s.pipeline(), s.proxy(), s.pool()).and("upstream", s.upstream()),
                s.healthy() && !s.ejected() ? 1 : 0)).toList(), true);
        ejected.register(servers.stream().map(s -> MultiGauge.Row.of(tags(s.pipeline(), s.proxy(), s.pool()).and("upstream", s.upstream()),
                s.ejected() ? 1 : 0)).toList(), true);
        List<MultiGauge.Row<?>> circuitRows = new ArrayList<>();
        for (Circuit c : circuits) {
            for (String state : CIRCUIT_STATES) {
                circuitRows.add(MultiGauge.Row.of(tags(c.pipeline(), c.proxy(), c.pool()).and("state", state), state.equals(c.state()) ? 1 : 0));
            }
        }
        circuit.register(circuitRows, true);
    }

    private static Tags tags(String pipeline, String proxy, String pool) {
        return Tags.of("pipeline", pipeline, "proxy", proxy, "pool", pool);
    }
}
