package io.edgegate.dataplane.metrics;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Numbers the threads that record into a node's per-request meters, so that each keeps counts of
 * its own ({@link PerThreadCounts}). Numbers are never reused: a thread's counts outlive it. Threads
 * past the capacity get {@link #SHARED} and share one locked set of counts.
 */
final class ThreadSlots {

    static final int SHARED = -1;
    /** Every thread shares: for meters outside a node, which nothing scrapes. */
    static final ThreadSlots NONE = new ThreadSlots(0);

    private final int capacity;
    private final AtomicInteger next = new AtomicInteger();
    private final FastThreadLocal<Integer> slot;

    ThreadSlots(int capacity) {
        this.capacity = capacity;
        this.slot = capacity == 0 ? null : new FastThreadLocal<>() {
            @Override
            protected Integer initialValue() {
                int taken = next.getAndIncrement();
                return taken >= 0 && taken < capacity ? taken : SHARED;
            }
        };
    }

    /** Enough for the event loops of a node (one per core by default) and a few other threads. */
    static ThreadSlots forNode() {
        return new ThreadSlots(Math.max(8, 2 * Runtime.getRuntime().availableProcessors()));
    }

    int capacity() {
        return capacity;
    }

    /** The calling thread's slot, or {@link #SHARED}. */
    int current() {
        return slot == null ? SHARED : slot.get();
    }
}
