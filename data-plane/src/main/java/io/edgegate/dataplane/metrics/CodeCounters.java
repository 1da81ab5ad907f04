package io.edgegate.dataplane.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A counter per status code, counted per thread ({@link PerThreadCounts}) and registered on a code's
 * first use; counting a code seen before allocates nothing.
 */
final class CodeCounters {

    private final AtomicReferenceArray<PerThreadCounts> byCode = new AtomicReferenceArray<>(600);
    /** The series registered so far, one per code seen. */
    private final List<Meter> registered = new CopyOnWriteArrayList<>();
    /** Guarded by this. */
    private boolean unregistered;
    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final Tags tags;
    private final ThreadSlots slots;

    /** Counters {@code name} with {@code tags} and a {@code code} label ("200", or "other" for what is not a status code). */
    CodeCounters(MeterRegistry registry, String name, String description, Tags tags, ThreadSlots slots) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.tags = tags;
        this.slots = slots;
    }

    /** Requests counted with a code from {@code from} to {@code to}, inclusive. */
    long sum(int from, int to) {
        long total = 0;
        for (int code = from; code <= to; code++) {
            PerThreadCounts counts = byCode.get(code);
            if (counts != null) {
                total += counts.sum(0);
            }
        }
        return total;
    }

    void increment(int code) {
        int index = code >= 100 && code < 600 ? code : 0;
        PerThreadCounts counts = byCode.get(index);
        if (counts == null) {
            counts = firstUse(index);
        }
        counts.add(0, 1);
    }

    private synchronized PerThreadCounts firstUse(int index) {
        PerThreadCounts made = new PerThreadCounts(slots, 1);
        if (!byCode.compareAndSet(index, null, made)) {
            // Another loop counted this code first: its counts are the registered ones.
            return byCode.get(index);
        }
        if (!unregistered) {
            registered.add(FunctionCounter.builder(name, made, counts -> counts.sum(0)).description(description)
                    .tags(tags).tag("code", index == 0 ? "other" : Integer.toString(index)).register(registry));
        }
        return made;
    }

    /**
     * Removes every code's series from the registry. What counts after that is counted nowhere, and a
     * code first seen after it registers nothing: a series left behind would be found again, bound to
     * these counts, by the next meters of the same name and labels.
     */
    synchronized void unregister() {
        unregistered = true;
        registered.forEach(registry::remove);
    }
}
