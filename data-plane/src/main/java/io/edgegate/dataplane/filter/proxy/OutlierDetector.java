package io.edgegate.dataplane.filter.proxy;

import io.edgegate.spec.filter.proxy.OutlierDetectionSpec;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health from real traffic: counts each server's failures in a row and takes a server
 * out of the rotation for a time that grows with each ejection. Safe for all event loops; the
 * rare ejection decision is synchronized, the per-answer bookkeeping is not.
 */
final class OutlierDetector {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    private static final class State {
        final AtomicInteger failuresInRow = new AtomicInteger();
        volatile long ejectedUntil;
        int ejections;
        long lastEjectionEnd;
    }

    private final OutlierDetectionSpec spec;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<Upstream, State> states = new ConcurrentHashMap<>();

    OutlierDetector(OutlierDetectionSpec spec, LongSupplier nanoTime) {
        this.spec = spec;
        this.nanoTime = nanoTime;
    }

    boolean isEjected(Upstream server) {
        State state = states.get(server);
        return state != null && state.ejectedUntil - nanoTime.getAsLong() > 0;
    }

    /** An answer from {@code server}: {@code failed} for a 5xx or a server not reached; {@code pool} the servers in use. */
    void record(Upstream server, boolean failed, Collection<Upstream> pool) {
        State state = states.computeIfAbsent(server, s -> new State());
        if (!failed) {
            state.failuresInRow.set(0);
            return;
        }
        if (state.failuresInRow.incrementAndGet() >= spec.consecutiveFailures()) {
            eject(server, state, pool);
        }
    }

    private synchronized void eject(Upstream server, State state, Collection<Upstream> pool) {
        long now = nanoTime.getAsLong();
        if (state.ejectedUntil - now > 0) {
            return;
        }
        long ejected = pool.stream().filter(this::isEjected).count();
        // Never all of them, and no more than the allowed share: a pool-wide outage is not one server's fault.
        if (ejected + 1 >= pool.size() || (ejected + 1) * 100 > (long) spec.maxEjectionPercent() * pool.size()) {
            return;
        }
        long base = spec.baseEjectionTime().toNanos();
        // A server that behaved for a good while since its last ejection starts over.
        if (state.ejections > 0 && now - state.lastEjectionEnd > base * 10) {
            state.ejections = 0;
        }
        state.ejections++;
        long time = Math.min(base * state.ejections, spec.maxEjectionTime().toNanos());
        state.ejectedUntil = now + time;
        state.lastEjectionEnd = now + time;
        state.failuresInRow.set(0);
        log.warn("outlier detection: {} failed {} times in a row, out of the rotation for {} ms", server.url(),
                spec.consecutiveFailures(), time / 1_000_000);
    }

    /** Forgets servers no longer in the pool (a registry's instances come and go). */
    void retainOnly(Collection<Upstream> servers) {
        states.keySet().retainAll(servers);
    }
}
