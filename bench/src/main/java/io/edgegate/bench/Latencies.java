package io.edgegate.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collected delays in milliseconds and their percentiles (nearest rank). */
final class Latencies {

    private final List<Long> samples = new ArrayList<>();

    void add(long millis) {
        samples.add(millis);
    }

    int count() {
        return samples.size();
    }

    long percentile(double p) {
        if (samples.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    long max() {
        return samples.isEmpty() ? -1 : Collections.max(samples);
    }
}
