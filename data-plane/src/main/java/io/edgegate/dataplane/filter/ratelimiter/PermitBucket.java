package io.edgegate.dataplane.filter.ratelimiter;

import io.edgegate.spec.filter.ratelimiter.RateLimitPolicySpec;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@code limit} permits per period, lock-free: the current cycle and the permits left in it
 * share one {@code long} updated by compare-and-set, so taking a permit costs a clock read and
 * a CAS, with no allocation. As Easegress counts: a request may reserve a permit of one of the
 * next ⌊timeout / period⌋ cycles (and waits for it); permits then go negative and later cycles
 * refill them.
 */
final class PermitBucket {

    private static final int PERMIT_BITS = 24;
    private static final long PERMIT_MASK = (1L << PERMIT_BITS) - 1;
    private static final int MIN_PERMITS = -(1 << (PERMIT_BITS - 1));

    /** No permit within the timeout. */
    static final long REFUSED = -1;

    private final long periodNanos;
    private final int limit;
    /** Permits that may be taken from the start of a cycle, reserved ones of later cycles included. */
    private final long maxTaken;
    private final LongSupplier nanoTime;
    private final long origin;
    private final AtomicLong state;

    PermitBucket(RateLimitPolicySpec policy, LongSupplier nanoTime) {
        this.periodNanos = policy.limitRefreshPeriod().toNanos();
        this.limit = policy.limitForPeriod();
        this.maxTaken = (long) limit * (policy.timeoutDuration().toNanos() / periodNanos + 1);
        this.nanoTime = nanoTime;
        this.origin = nanoTime.getAsLong();
        this.state = new AtomicLong(pack(0, limit));
    }

    /** Takes a permit: the nanoseconds to wait before using it (0: now), or {@link #REFUSED}. */
    long reserve() {
        long now = nanoTime.getAsLong() - origin;
        long cycle = now / periodNanos;
        while (true) {
            long s = state.get();
            long stateCycle = s >>> PERMIT_BITS;
            long permits = permits(s);
            if (cycle > stateCycle) {
                permits = Math.min(permits + (cycle - stateCycle) * limit, limit);
                stateCycle = cycle;
            }
            // Easegress refuses once the permits of this cycle and of the cycles the timeout reaches are taken.
            if (limit - permits >= maxTaken || permits - 1 < MIN_PERMITS) {
                return REFUSED;
            }
            long wait = permits > 0 ? 0 : waitFor(permits, stateCycle, now);
            if (state.compareAndSet(s, pack(stateCycle, permits - 1))) {
                return wait;
            }
        }
    }

    /** How long until a permit not yet reserved would be free, for {@code Retry-After}. */
    long nanosUntilFree() {
        long now = nanoTime.getAsLong() - origin;
        long s = state.get();
        long stateCycle = Math.max(s >>> PERMIT_BITS, now / periodNanos);
        long permits = now / periodNanos > (s >>> PERMIT_BITS) ? limit : permits(s);
        return permits > 0 ? 0 : waitFor(permits, stateCycle, now);
    }

    /** With {@code permits} ≤ 0 left in {@code cycle}, the next permit comes {@code 1 - permits} permits later. */
    private long waitFor(long permits, long cycle, long now) {
        long cyclesAhead = -permits / limit + 1;
        return Math.max(0, (cycle + cyclesAhead) * periodNanos - now);
    }

    private static long permits(long s) {
        return (s << (Long.SIZE - PERMIT_BITS)) >> (Long.SIZE - PERMIT_BITS);
    }

    private static long pack(long cycle, long permits) {
        return (cycle << PERMIT_BITS) | (permits & PERMIT_MASK);
    }
}
