package io.edgegate.dataplane.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A few counts (a histogram's buckets and sum, say) kept per recording thread and added up when
 * read. Every request of every event loop changes them: with one shared counter (or a LongAdder's
 * cells, which still take an atomic instruction each) the cores trade cache lines and wait on
 * locked instructions. Here a thread adds to its own row with a plain store, and rows are padded
 * so that no two threads write one cache line. Threads without a slot add to a shared row under a
 * lock.
 */
final class PerThreadCounts {

    private static final VarHandle ROWS = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Longs after a row's counts that nobody writes: a cache line between them and whatever the heap puts next. */
    private static final int PADDING = 8;

    private final ThreadSlots slots;
    private final int width;
    /** A row per slot, made by its thread on its first count (most slots never record). */
    private final long[][] rows;
    private final long[] shared;

    PerThreadCounts(ThreadSlots slots, int width) {
        this.slots = slots;
        this.width = width;
        this.rows = new long[slots.capacity()][];
        this.shared = new long[width];
    }

    void add(int index, long amount) {
        long[] row = row();
        if (row == null) {
            synchronized (shared) {
                shared[index] += amount;
            }
            return;
        }
        // Only this thread writes the row: a plain read, and a store readers see without a fence.
        COUNTS.setOpaque(row, index, row[index] + amount);
    }

    /** Two counts at once (a bucket and the sum): the row is found once. */
    void add(int first, long firstAmount, int second, long secondAmount) {
        long[] row = row();
        if (row == null) {
            synchronized (shared) {
                shared[first] += firstAmount;
                shared[second] += secondAmount;
            }
            return;
        }
        COUNTS.setOpaque(row, first, row[first] + firstAmount);
        COUNTS.setOpaque(row, second, row[second] + secondAmount);
    }

    /** Count {@code index} of all threads, as far as their latest stores are visible. */
    long sum(int index) {
        long total;
        synchronized (shared) {
            total = shared[index];
        }
        for (int slot = 0; slot < rows.length; slot++) {
            long[] row = (long[]) ROWS.getAcquire(rows, slot);
            if (row != null) {
                total += (long) COUNTS.getOpaque(row, index);
            }
        }
        return total;
    }

    private long[] row() {
        int slot = slots.current();
        if (slot == ThreadSlots.SHARED) {
            return null;
        }
        long[] row = rows[slot];
        return row != null ? row : newRow(slot);
    }

    private long[] newRow(int slot) {
        long[] row = new long[width + PADDING];
        ROWS.setRelease(rows, slot, row);
        return row;
    }
}
