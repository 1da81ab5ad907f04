package io.edgegate.dataplane.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

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
    // Striped: every request of every event loop changes them, and one shared counter would bounce between cores.
    private final LongAdder activeRequests = new LongAdder();
    private final LongAdder activeConnections = new LongAdder();
    private final Map<ConnectionRefusal, Counter> refusals = new EnumMap<>(ConnectionRefusal.class);

    /** Why a connection was closed as it was accepted (or before a protocol was agreed). */
    public enum ConnectionRefusal {
        MAX_CONNECTIONS("max_connections"), CLIENT_CONNECTIONS("client_connections"), CLIENT_RATE("client_rate"), TLS("tls");

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
        Gauge.builder("edgegate.http.requests.active", activeRequests, LongAdder::sum).tags("server", server)
                .description("Requests of the server waiting for their response head").register(registry);
        Gauge.builder("edgegate.http.connections.active", activeConnections, LongAdder::sum).tags("server", server)
                .description("Client connections open to the server").register(registry);
        for (ConnectionRefusal reason : ConnectionRefusal.values()) {
            refusals.put(reason, Counter.builder("edgegate.http.connections.refused").tags("server", server, "reason", reason.label)
                    .description("Connections closed as they were accepted (limits) or whose TLS handshake failed").register(registry));
        }
    }

    public void requestStarted() {
        activeRequests.increment();
    }

    public void requestEnded() {
        activeRequests.decrement();
    }

    public void connectionOpened() {
        activeConnections.increment();
    }

    public void connectionClosed() {
        activeConnections.decrement();
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

    public void record(String backend, int code, long nanos) {
        Route route = routes.get(backend);
        if (route == null) {
            route = routes.computeIfAbsent(backend, Route::new);
        }
        route.record(code, nanos);
    }

    /** Counts the body bytes of a request ({@code in}, as its Content-Length said) and of its response ({@code out}, as written). */
    public void bytes(String backend, long in, long out) {
        Route route = routes.get(backend);
        if (route == null) {
            route = routes.computeIfAbsent(backend, Route::new);
        }
        route.bytes(in, out);
    }

    /** Adds this server's counts so far to {@code totals}, and its open connections and requests. */
    void addTo(TrafficWindow.Totals totals) {
        routes.values().forEach(route -> route.addTo(totals));
        totals.activeConnections += activeConnections.sum();
        totals.activeRequests += activeRequests.sum();
    }

    /** Forgets the meters of backends no longer in the config (their series were removed from the registry). */
    void keepOnly(java.util.Set<String> backends) {
        routes.keySet().removeIf(backend -> !backend.equals(NO_BACKEND) && !backends.contains(backend));
    }

    private final class Route {

        private final String backend;
        /** Null when the family is full (or metrics are off): nothing is recorded then. */
        private final LatencyHistogram duration;
        private final CodeCounters byCode;
        private final Counter bytesIn;
        private final Counter bytesOut;

        Route(String backend) {
            this.bytesIn = Counter.builder("edgegate.http.request.bytes").baseUnit("bytes")
                    .description("Request body bytes by server and backend (as the requests' Content-Length said)")
                    .tags("server", server, "backend", backend).register(registry);
            this.bytesOut = Counter.builder("edgegate.http.response.bytes").baseUnit("bytes")
                    .description("Response body bytes written to clients, by server and backend")
                    .tags("server", server, "backend", backend).register(registry);
            this.byCode = new CodeCounters(code -> Counter.builder("edgegate.http.requests")
                    .description("Requests by server, backend and status code")
                    .tags("server", server, "backend", backend, "code", code).register(registry));
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

        void bytes(long in, long out) {
            if (in > 0) {
                bytesIn.increment(in);
            }
            if (out > 0) {
                bytesOut.increment(out);
            }
        }

        void record(int code, long nanos) {
            if (duration != null) {
                duration.record(nanos);
            }
            byCode.increment(code);
        }
    }
}
