package io.edgegate.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One process's metrics in Prometheus form: names start with {@code edgegate_}, JVM, process and
 * Netty allocator metrics come along, and cardinality is bounded twice: label values come only
 * from config names, codes and upstream addresses (the callers' rule), and each metric keeps at
 * most {@code maxSeriesPerMetric} series; what a full metric refuses is counted in
 * {@code edgegate_metrics_series_dropped_total}.
 */
public final class Metrics implements AutoCloseable {

    /** Request and apply durations: explicit buckets from 1 ms to 10 s. */
    public static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** The distinct series refused (up to a bound; past it, every refusal counts). */
    private final Set<Meter.Id> refused = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();
    private final Map<String, AtomicInteger> seriesByName = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics(List<Tag> commonTags, int maxSeriesPerMetric) {
        this(commonTags, maxSeriesPerMetric, true);
    }

    /**
     * @param enabled false: every meter is a no-op and a scrape is empty (to measure what metrics
     *                cost, or for a node whose metrics nobody reads)
     */
    public Metrics(List<Tag> commonTags, int maxSeriesPerMetric, boolean enabled) {
        if (!enabled) {
            registry.config().meterFilter(MeterFilter.deny());
        }
        // Counted from what the registry really adds and removes (a sweep, or a MultiGauge replacing its rows):
        // a filter may be asked more than once about one series.
        registry.config().commonTags(commonTags).meterFilter(new SeriesCap(maxSeriesPerMetric))
                .onMeterAdded(meter -> seriesByName.computeIfAbsent(meter.getId().getName(), n -> new AtomicInteger()).incrementAndGet())
                .onMeterRemoved(meter -> seriesByName.computeIfAbsent(meter.getId().getName(), n -> new AtomicInteger()).decrementAndGet());
        FunctionCounter.builder("edgegate.metrics.series.dropped", dropped, AtomicLong::get)
                .description("Series refused because their metric already had the most it may have").register(registry);
    }

    /**
     * Adds the JVM's, the process's and Netty's allocator metrics. Apart from the constructor
     * because binding them takes a tenth of a second of a starting process: a data plane does it
     * once it serves.
     */
    public void bindProcessMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // The allocator channels use by default (Netty 4.2: the adaptive one), not a pool nothing uses.
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Counts series refused by a metric kept outside the registry (its own cap was reached). */
    public void countDropped(long series) {
        dropped.addAndGet(series);
    }

    /** The Prometheus text exposition (version 0.0.4). Call it off the traffic event loops. */
    public String scrape() {
        return registry.scrape();
    }

    /** Removes the series whose {@code tagKey} names an object that no longer exists (deleted servers, pipelines…). */
    public void removeUnless(String tagKey, Set<String> existing) {
        for (Meter meter : registry.getMeters()) {
            String value = meter.getId().getTag(tagKey);
            if (value != null && !existing.contains(value)) {
                registry.remove(meter);
            }
        }
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** At most so many series per metric name. */
    private final class SeriesCap implements MeterFilter {

        private final int max;

        SeriesCap(int max) {
            this.max = max;
        }

        @Override
        public MeterFilterReply accept(Meter.Id id) {
            AtomicInteger count = seriesByName.get(id.getName());
            if (count != null && count.get() >= max) {
                if (refused.size() >= 100_000 || refused.add(id)) {
                    dropped.incrementAndGet();
                }
                return MeterFilterReply.DENY;
            }
            return MeterFilterReply.NEUTRAL;
        }
    }
}
