package io.edgegate.dataplane.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.noop.NoopCounter;
import java.io.IOException;
import java.net.ConnectException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
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
    /**
     * Each live filter of this Proxy (an old one finishing its requests, the new one after a change):
     * the URLs of the servers its pools hold now. Empty for meters outside a node, which keep every server.
     */
    private final Set<Supplier<Set<String>>> users = new CopyOnWriteArraySet<>();
    /** Set when the last filter of the Proxy closed and its series went; guarded by this. */
    private boolean removed;

    /** Meters of a Proxy outside a node (its own latency series, never scraped). */
    public UpstreamMeters(MeterRegistry registry, String pipeline, String proxy) {
        this(registry, pipeline, proxy, UpstreamStates.upstreamDurations(10_000));
    }

    UpstreamMeters(MeterRegistry registry, String pipeline, String proxy, HistogramFamily durations) {
        this.registry = registry;
        this.pipeline = pipeline;
        this.proxy = proxy;
        this.durations = durations;
    }

    String pipeline() {
        return pipeline;
    }

    String proxy() {
        return proxy;
    }

    /** A filter of this Proxy went live (built; a rejected build closes it again). */
    void addUser(Supplier<Set<String>> inUse) {
        users.add(inUse);
    }

    /**
     * A filter of this Proxy closed. When it was the last, the Proxy is gone (deleted or renamed):
     * its series go, and counts that still come in (its last requests) are counted nowhere.
     *
     * @return whether none is left
     */
    synchronized boolean removeUser(Supplier<Set<String>> inUse) {
        users.remove(inUse);
        if (!users.isEmpty()) {
            return false;
        }
        removed = true;
        servers.values().forEach(Server::unregister);
        servers.clear();
        return true;
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
        if (removed) {
            return new Server(upstream, false);
        }
        if (!users.isEmpty()) {
            Set<String> current = new HashSet<>();
            users.forEach(user -> current.addAll(user.get()));
            servers.values().removeIf(gone -> !current.contains(gone.upstream) && gone.unregister());
        }
        Server made = new Server(upstream, true);
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
        /** Set once its series are removed; guarded by this. */
        private boolean unregistered;

        /** {@code registered} false: a server of a removed Proxy, counted nowhere. */
        Server(String upstream, boolean registered) {
            this.upstream = upstream;
            this.byCode = new CodeCounters(registry, "edgegate.upstream.requests", "Upstream answers by server and status code",
                    Tags.of("pipeline", pipeline, "proxy", proxy, "upstream", upstream), durations.slots());
            this.duration = registered ? durations.series(pipeline, proxy, upstream) : null;
            if (!registered) {
                byCode.unregister();
                unregistered = true;
            }
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
            Counter made = unregistered ? new NoopCounter(null)
                    : Counter.builder("edgegate.upstream.errors").description("Upstream exchanges that failed, by server and kind")
                    .tags("pipeline", pipeline, "proxy", proxy, "upstream", upstream, "kind", kind).register(registry);
            byKind.put(kind, made);
            return made;
        }
    }
}
