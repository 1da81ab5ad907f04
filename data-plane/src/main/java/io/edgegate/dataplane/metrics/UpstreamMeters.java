package io.edgegate.dataplane.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * A Proxy's meters per upstream server: answers by code, failures by kind (connect, timeout,
 * reset, tls, other) and the time from sending to the answer's head. Labels: pipeline, proxy
 * (the filter), upstream (the server's URL: config or registry addresses, never the client's).
 * A server's meters are made on its first use; after that recording allocates nothing.
 */
public final class UpstreamMeters {

    private final MeterRegistry registry;
    private final String pipeline;
    private final String proxy;
    private final Map<String, Server> servers = new ConcurrentHashMap<>();
    private final HistogramFamily durations;
    /** The URLs of the servers the Proxy's pools hold now; null: every server's meters are kept. */
    private final Supplier<Set<String>> inUse;

    /** Meters of a Proxy outside a node (its own latency series, never scraped). */
    public UpstreamMeters(MeterRegistry registry, String pipeline, String proxy) {
        this(registry, pipeline, proxy, UpstreamStates.upstreamDurations(10_000), null);
    }

    UpstreamMeters(MeterRegistry registry, String pipeline, String proxy, HistogramFamily durations, Supplier<Set<String>> inUse) {
        this.registry = registry;
        this.pipeline = pipeline;
        this.proxy = proxy;
        this.durations = durations;
        this.inUse = inUse;
    }

    public void answered(String upstream, int code, long nanos) {
        server(upstream).answered(code, nanos);
    }

    /** @param kind connect, timeout, reset, tls or other ({@link #kind(Throwable)}) */
    public void failed(String upstream, String kind, long nanos) {
        server(upstream).failed(kind, nanos);
    }

    private Server server(String upstream) {
        Server server = servers.get(upstream);
        return server != null ? server : firstUse(upstream);
    }

    /**
     * A server seen for the first time: a registry changed the pool (or a config did). The series of
     * servers no pool holds any more go then, or a registry's churn (every address a deployment ever
     * had) would grow them without end and fill the series cap, leaving new servers unmeasured.
     */
    private synchronized Server firstUse(String upstream) {
        Server known = servers.get(upstream);
        if (known != null) {
            return known;
        }
        Set<String> current = inUse == null ? null : inUse.get();
        if (current != null) {
            servers.values().removeIf(gone -> !current.contains(gone.upstream) && gone.unregister());
        }
        Server made = new Server(upstream);
        servers.put(upstream, made);
        return made;
    }

    /** What kind of failure: the ones operators tell apart when an upstream misbehaves. */
    public static String kind(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connect";
            }
            if (t instanceof SSLException) {
                return "tls";
            }
            String name = t.getClass().getSimpleName().toLowerCase(Locale.ROOT);
            if (name.contains("timeout")) {
                return "timeout";
            }
            if (t instanceof IOException && t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains("reset")) {
                return "reset";
            }
        }
        return "other";
    }

    private final class Server {

        private final String upstream;
        /** Null when the family is full (or metrics are off). */
        private final LatencyHistogram duration;
        private final CodeCounters byCode;
        private final Map<String, Counter> byKind = new ConcurrentHashMap<>();

        Server(String upstream) {
            this.upstream = upstream;
            this.byCode = new CodeCounters(registry, "edgegate.upstream.requests", "Upstream answers by server and status code",
                    Tags.of("pipeline", pipeline, "proxy", proxy, "upstream", upstream), durations.slots());
            this.duration = durations.series(pipeline, proxy, upstream);
        }

        void answered(int code, long nanos) {
            if (duration != null) {
                duration.record(nanos);
            }
            byCode.increment(code);
        }

        /** Removes this server's series; always true (for removeIf). */
        boolean unregister() {
            byCode.unregister();
            byKind.values().forEach(registry::remove);
            durations.remove(pipeline, proxy, upstream);
            return true;
        }

        void failed(String kind, long nanos) {
            if (duration != null) {
                duration.record(nanos);
            }
            Counter known = byKind.get(kind);
            if (known != null) {
                known.increment();
                return;
            }
            byKind.computeIfAbsent(kind, k -> Counter.builder("edgegate.upstream.errors")
                    .description("Upstream exchanges that failed, by server and kind")
                    .tags("pipeline", pipeline, "proxy", proxy, "upstream", upstream, "kind", k).register(registry)).increment();
        }
    }
}
