package io.edgegate.dataplane.resilience;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Retries allowed: every request deposits {@code ratio} of a retry and every second adds
 * {@code perSecond}; a retry takes one. Lock-free, counted in thousandths of a retry. The
 * balance is capped so a quiet minute cannot fund a storm.
 */
public final class RetryBudget {

    private static final long ONE = 1000;

    private final long perRequest;
    private final long perSecond;
    private final long cap;
    private final LongSupplier nanoTime;
    private final AtomicLong balance;
    private final AtomicLong refilledSecond;

    public RetryBudget(double ratio, int perSecond, LongSupplier nanoTime) {
        this.perRequest = Math.round(ratio * ONE);
        this.perSecond = perSecond * ONE;
        this.cap = Math.max(this.perSecond, ONE) + perRequest * 100;
        this.nanoTime = nanoTime;
        this.balance = new AtomicLong(this.perSecond);
        this.refilledSecond = new AtomicLong(nanoTime.getAsLong() / 1_000_000_000L);
    }

    void deposit() {
        refill();
        add(perRequest);
    }

    boolean take() {
        refill();
        while (true) {
            long now = balance.get();
            if (now < ONE) {
                return false;
            }
            if (balance.compareAndSet(now, now - ONE)) {
                return true;
            }
        }
    }

    private void refill() {
        long second = nanoTime.getAsLong() / 1_000_000_000L;
        long last = refilledSecond.get();
        if (second > last && refilledSecond.compareAndSet(last, second)) {
            add(Math.min(second - last, 1000) * perSecond);
        }
    }

    private void add(long amount) {
        balance.accumulateAndGet(amount, (b, a) -> Math.min(cap, b + a));
    }
}
