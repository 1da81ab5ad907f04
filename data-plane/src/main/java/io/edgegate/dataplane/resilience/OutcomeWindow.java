package io.edgegate.dataplane.resilience;

/**
 * The calls a circuit judges by: the last N calls (count based) or the calls of the last N
 * seconds (time based), with running totals so recording and reading cost O(1) (time based:
 * amortised over the seconds that pass). Not thread-safe: the circuit guards it.
 */
abstract class OutcomeWindow {

    int calls;
    int failures;
    int slow;

    abstract void record(long nowNanos, boolean failure, boolean slowCall);

    /** Calls in the window as of {@code nowNanos} (a time window drops what has aged out). */
    abstract int calls(long nowNanos);

    abstract void reset();

    static OutcomeWindow countBased(int size) {
        return new CountWindow(size);
    }

    static OutcomeWindow timeBased(int seconds) {
        return new TimeWindow(seconds);
    }

    private static final class CountWindow extends OutcomeWindow {

        private static final byte FAILED = 1;
        private static final byte SLOW = 2;

        private final byte[] outcomes;
        private int next;

        CountWindow(int size) {
            outcomes = new byte[size];
        }

        @Override
        void record(long nowNanos, boolean failure, boolean slowCall) {
            if (calls == outcomes.length) {
                byte old = outcomes[next];
                failures -= old & FAILED;
                slow -= (old & SLOW) >> 1;
            } else {
                calls++;
            }
            outcomes[next] = (byte) ((failure ? FAILED : 0) | (slowCall ? SLOW : 0));
            failures += failure ? 1 : 0;
            slow += slowCall ? 1 : 0;
            next = (next + 1) % outcomes.length;
        }

        @Override
        int calls(long nowNanos) {
            return calls;
        }

        @Override
        void reset() {
            calls = 0;
            failures = 0;
            slow = 0;
            next = 0;
        }
    }

    private static final class TimeWindow extends OutcomeWindow {

        private final long[] second;
        private final int[] bucketCalls;
        private final int[] bucketFailures;
        private final int[] bucketSlow;
        private long latest = Long.MIN_VALUE;

        TimeWindow(int seconds) {
            second = new long[seconds];
            bucketCalls = new int[seconds];
            bucketFailures = new int[seconds];
            bucketSlow = new int[seconds];
        }

        @Override
        void record(long nowNanos, boolean failure, boolean slowCall) {
            int i = advance(nowNanos);
            bucketCalls[i]++;
            calls++;
            if (failure) {
                bucketFailures[i]++;
                failures++;
            }
            if (slowCall) {
                bucketSlow[i]++;
                slow++;
            }
        }

        @Override
        int calls(long nowNanos) {
            advance(nowNanos);
            return calls;
        }

        /** Moves the window to the current second, dropping the buckets that left it; returns the current bucket. */
        private int advance(long nowNanos) {
            long now = Math.floorDiv(nowNanos, 1_000_000_000L);
            int n = second.length;
            if (latest == Long.MIN_VALUE || now - latest >= n) {
                reset();
            } else {
                for (long s = latest + 1; s <= now; s++) {
                    drop(Math.floorMod(s, n));
                }
            }
            if (now > latest) {
                latest = now;
            }
            int i = Math.floorMod(now, n);
            second[i] = now;
            return i;
        }

        private void drop(int i) {
            calls -= bucketCalls[i];
            failures -= bucketFailures[i];
            slow -= bucketSlow[i];
            bucketCalls[i] = 0;
            bucketFailures[i] = 0;
            bucketSlow[i] = 0;
        }

        @Override
        void reset() {
            for (int i = 0; i < second.length; i++) {
                drop(i);
            }
            calls = 0;
            failures = 0;
            slow = 0;
        }
    }
}
