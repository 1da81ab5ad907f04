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
    /** The URLs of the servers the (newest) Proxy's pools hold now; null: every server's meters are kept. */
    private volatile Supplier<Set<String>> inUse;

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

    /** The Proxy was built anew (its spec changed): the servers in use are its pools' now. */
    void follow(Supplier<Set<String>> newest) {
        this.inUse = newest;
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
        Supplier<Set<String>> servers = inUse;
        Set<String> current = servers == null ? null : servers.get();
        if (current != null) {
            this.servers.values().removeIf(gone -> !current.contains(gone.upstream) && gone.unregister());
        }
        Server made = new Server(upstream);
        this.servers.put(upstream, made);
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
        /** Set once its series are removed; guarded by this. */
        private boolean unregistered;

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

        /**
         * Removes this server's series; always true (for removeIf). A thread still holding it may count
         * once more, into nothing: no series is registered for it after this.
         */
        boolean unregister() {
            byCode.unregister();
            synchronized (this) {
                unregistered = true;
                byKind.values().forEach(registry::remove);
            }
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
            firstFailure(kind).increment();
        }

        /** A kind's counter, registered on its first failure (never after the server's series went: a detached one then). */
        private synchronized Counter firstFailure(String kind) {
            Counter known = byKind.get(kind);
            if (known != null) {
                return known;
            }
            Counter made = unregistered ? new io.micrometer.core.instrument.noop.NoopCounter(null)
                    : Counter.builder("edgegate.upstream.errors").description("Upstream exchanges that failed, by server and kind")
                    .tags("pipeline", pipeline, "proxy", proxy, "upstream", upstream, "kind", kind).register(registry);
            byKind.put(kind, made);
            return made;
        }
    }
}
