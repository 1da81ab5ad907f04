package io.edgegate.dataplane.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An HTTPServer's request meters: requests by backend (the pipeline, or {@code none} when no route
 * matched) and status code, and the time to the response head by backend. Labels are config names
 * and codes only, never paths, hosts or addresses. A backend's meters are made on its first
 * request and a code's counter on its first use; after that recording allocates nothing.
 */
public final class RequestMeters {

    public static final String NO_BACKEND = "none";

    private final MeterRegistry registry;
    private final String server;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    /** Open requests and connections, per thread: every request of every event loop changes them (a thread's own count may go below zero). */
    private final PerThreadCounts active;
    private static final int REQUESTS = 0;
    private static final int CONNECTIONS = 1;
    private final Map<ConnectionRefusal, Counter> refusals = new EnumMap<>(ConnectionRefusal.class);
    private final Counter limitReached;

    /** Why a connection was closed as it was accepted (or before a protocol was agreed). */
    public enum ConnectionRefusal {
        CLIENT_CONNECTIONS("client_connections"), CLIENT_RATE("client_rate"), TLS("tls");

        private final String label;

        ConnectionRefusal(String label) {
            this.label = label;
        }
    }

    private final HistogramFamily durations;

    RequestMeters(MeterRegistry registry, String server, HistogramFamily durations) {
        this.registry = registry;
        this.server = server;
        this.durations = durations;
        this.active = new PerThreadCounts(durations.slots(), 2);
        Gauge.builder("edgegate.http.requests.active", active, counts -> counts.sum(REQUESTS)).tags("server", server)
                .description("Requests of the server waiting for their response head").register(registry);
        Gauge.builder("edgegate.http.connections.active", active, counts -> counts.sum(CONNECTIONS)).tags("server", server)
                .description("Client connections open to the server").register(registry);
        for (ConnectionRefusal reason : ConnectionRefusal.values()) {
            refusals.put(reason, Counter.builder("edgegate.http.connections.refused").tags("server", server, "reason", reason.label)
                    .description("Connections closed as they were accepted (limits) or whose TLS handshake failed").register(registry));
        }
        limitReached = Counter.builder("edgegate.http.connection.limit.reached").tags("server", server)
                .description("Times the server reached maxConnections and stopped accepting until a connection closed")
                .register(registry);
    }

    public void requestStarted() {
        active.add(REQUESTS, 1);
    }

    public void requestEnded() {
        active.add(REQUESTS, -1);
    }

    public void connectionOpened() {
        active.add(CONNECTIONS, 1);
    }

    public void connectionClosed() {
        active.add(CONNECTIONS, -1);
    }

    /** maxConnections were open: new connections wait in the listen backlog until one closes. */
    public void connectionLimitReached() {
        limitReached.increment();
    }

    public void refused(ConnectionRefusal reason) {
        refusals.get(reason).increment();
    }

    /**
     * Makes the meters of every backend the server's routes name, when a config is applied: the
     * request path then only looks them up (no registration, and no registry lock, on an event loop).
     */
    public void prepare(java.util.Set<String> backends) {
        routes.computeIfAbsent(NO_BACKEND, Route::new);
        for (String backend : backends) {
            routes.computeIfAbsent(backend, Route::new);
        }
    }

    /**
     * The meters of {@code backend}, for one request to hold from its start: one that ends after its backend
     * was deleted counts into meters no longer scraped, rather than bringing the deleted backend's series back.
     */
    public BackendMeters backend(String backend) {
        Route route = routes.get(backend);
        return route != null ? route : routes.computeIfAbsent(backend, Route::new);
    }

    /** What one request counts for its backend: its answer, and the body bytes each way. */
    public interface BackendMeters {

        void record(int code, long nanos);

        /** The body bytes of a request ({@code in}, as its Content-Length said) and of its response ({@code out}, as written). */
        void bytes(long in, long out);
    }

    /** Adds this server's counts so far to {@code totals}, and its open connections and requests. */
    void addTo(TrafficWindow.Totals totals) {
        routes.values().forEach(route -> route.addTo(totals));
        totals.activeConnections += active.sum(CONNECTIONS);
        totals.activeRequests += active.sum(REQUESTS);
    }

    /** Forgets the meters of backends no longer in the config (their series were removed from the registry). */
    void keepOnly(java.util.Set<String> backends) {
        routes.entrySet().removeIf(entry -> {
            boolean gone = !entry.getKey().equals(NO_BACKEND) && !backends.contains(entry.getKey());
            if (gone) {
                entry.getValue().retire();
            }
            return gone;
        });
    }

    private final class Route implements BackendMeters {

        /** Its backend left the config: a request still holding it counts nothing (a code's counter would be registered anew). */
        private volatile boolean retired;

        private final String backend;
        /** Null when the family is full (or metrics are off): nothing is recorded then. */
        private final LatencyHistogram duration;
        private final CodeCounters byCode;
        /** Body bytes in ({@link #IN}) and out ({@link #OUT}). */
        private final PerThreadCounts bytes;
        private static final int IN = 0;
        private static final int OUT = 1;

        Route(String backend) {
            this.bytes = new PerThreadCounts(durations.slots(), 2);
            FunctionCounter.builder("edgegate.http.request.bytes", bytes, counts -> counts.sum(IN)).baseUnit("bytes")
                    .description("Request body bytes by server and backend (as the requests' Content-Length said)")
                    .tags("server", server, "backend", backend).register(registry);
            FunctionCounter.builder("edgegate.http.response.bytes", bytes, counts -> counts.sum(OUT)).baseUnit("bytes")
                    .description("Response body bytes written to clients, by server and backend")
                    .tags("server", server, "backend", backend).register(registry);
            this.byCode = new CodeCounters(registry, "edgegate.http.requests", "Requests by server, backend and status code",
                    Tags.of("server", server, "backend", backend), durations.slots());
            this.backend = backend;
            this.duration = durations.series(server, backend);
        }

        void addTo(TrafficWindow.Totals totals) {
            if (duration == null) {
                return;
            }
            long[] cumulative = duration.cumulativeCounts();
            totals.requests += cumulative[cumulative.length - 1];
            totals.serverErrors += byCode.sum(500, 599);
            for (int i = 0; i < totals.buckets.length; i++) {
                totals.buckets[i] += cumulative[i];
            }
        }

        void retire() {
            retired = true;
        }

        @Override
        public void bytes(long in, long out) {
            if (retired) {
                return;
            }
            // A counter never goes down, whatever a Content-Length said.
            bytes.add(IN, Math.max(0, in), OUT, Math.max(0, out));
        }

        @Override
        public void record(int code, long nanos) {
            if (retired) {
                return;
            }
            if (duration != null) {
                duration.record(nanos);
            }
            byCode.increment(code);
        }
    }
}
