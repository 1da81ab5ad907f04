package io.edgegate.dataplane.metrics;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/** One counter per status code, made on a code's first use; counting a code seen before allocates nothing. */
final class CodeCounters {

    private final AtomicReferenceArray<Counter> byCode = new AtomicReferenceArray<>(600);
    /** Makes the counter of a code label ("200", or "other" for what is not a status code). */
    private final Function<String, Counter> make;

    CodeCounters(Function<String, Counter> make) {
        this.make = make;
    }

    /** Requests counted with a code from {@code from} to {@code to}, inclusive. */
    long sum(int from, int to) {
        long total = 0;
        for (int code = from; code <= to; code++) {
            Counter counter = byCode.get(code);
            if (counter != null) {
                total += (long) counter.count();
            }
        }
        return total;
    }

    void increment(int code) {
        int index = code >= 100 && code < 600 ? code : 0;
        Counter counter = byCode.get(index);
        if (counter == null) {
            counter = make.apply(index == 0 ? "other" : Integer.toString(index));
            byCode.set(index, counter);
        }
        counter.increment();
    }
}
