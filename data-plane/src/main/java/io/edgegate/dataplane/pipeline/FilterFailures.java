package io.edgegate.dataplane.pipeline;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often each filter of this node failed instead of returning a result (it threw, or it
 * tried to answer a request that was already answered), and why it failed last: shown by
 * {@code egctl describe} so a broken filter or flow is seen, not only logged. Counts survive
 * a config change for filters that keep their pipeline and name.
 */
public final class FilterFailures {

    private final ConcurrentHashMap<PipelineBuilder.FilterKey, Counter> counters = new ConcurrentHashMap<>();
    private final LongAdder secondAnswers = new LongAdder();

    /** Failures of one filter; recorded on the event loops, read off them. */
    public final class Counter {

        private final LongAdder count = new LongAdder();
        private volatile String last;

        private Counter() {
        }

        void record(Throwable cause) {
            count.increment();
            last = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            if (cause instanceof SecondAnswerException) {
                secondAnswers.increment();
            }
        }

        /** The status line, or none while the filter never failed. */
        List<String> status() {
            long failed = count.sum();
            return failed == 0 ? List.of() : List.of("failed " + failed + (failed == 1 ? " time" : " times") + "; last: " + last);
        }
    }

    Counter counterFor(PipelineBuilder.FilterKey key) {
        return counters.computeIfAbsent(key, k -> new Counter());
    }

    /** Forgets the filters a new generation no longer has. */
    void retainOnly(Set<PipelineBuilder.FilterKey> keys) {
        counters.keySet().retainAll(keys);
    }

    /** Requests a filter tried to answer a second time, on this node since it started: always a bug or a broken flow. */
    public long secondAnswers() {
        return secondAnswers.sum();
    }
}
