package io.edgegate.dataplane.metrics;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The series of one latency metric (e.g. {@code edgegate_http_request_duration_seconds}) by their
 * label values, written in Prometheus's text format at scrape time. Labels come from config names
 * and upstream addresses only; a family keeps at most {@code maxSeries} series (a refused one is
 * counted as dropped and records nowhere), and series of deleted objects are removed.
 */
final class HistogramFamily {

    private static final String[] LE = LatencyHistogram.boundLabels();

    private final String name;
    private final String help;
    /** Label names in the order the values are given; printed sorted, with the common ones. */
    private final List<String> labelNames;
    private final int maxSeries;
    private final LongConsumer dropped;
    private final Map<List<String>, LatencyHistogram> series = new ConcurrentHashMap<>();
    /** The recording threads' slots, shared with the meters that sit next to this family's series. */
    private final ThreadSlots slots;

    HistogramFamily(String name, String help, List<String> labelNames, int maxSeries, LongConsumer dropped, ThreadSlots slots) {
        this.slots = slots;
        this.name = name;
        this.help = help;
        this.labelNames = List.copyOf(labelNames);
        this.maxSeries = maxSeries;
        this.dropped = dropped;
    }

    /** The histogram of these label values (made once; later calls find it), or null past the cap. */
    LatencyHistogram series(String... labelValues) {
        List<String> key = List.of(labelValues);
        LatencyHistogram found = series.get(key);
        if (found != null) {
            return found;
        }
        if (series.size() >= maxSeries) {
            dropped.accept(1);
            return null;
        }
        return series.computeIfAbsent(key, k -> new LatencyHistogram(slots));
    }

    ThreadSlots slots() {
        return slots;
    }

    /** Removes the series of these label values, if there is one. */
    void remove(String... labelValues) {
        series.remove(List.of(labelValues));
    }

    /** Removes the series whose label {@code labelName} is not one of {@code existing}. */
    void removeUnless(String labelName, Set<String> existing) {
        int index = labelNames.indexOf(labelName);
        if (index >= 0) {
            series.keySet().removeIf(values -> !existing.contains(values.get(index)));
        }
    }

    /** Appends the family in Prometheus text format 0.0.4, every series with {@code common} labels (e.g. node). */
    void render(StringBuilder out, Map<String, String> common) {
        if (series.isEmpty()) {
            return;
        }
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
        series.forEach((values, histogram) -> {
            java.util.TreeMap<String, String> labels = new java.util.TreeMap<>(common);
            for (int i = 0; i < labelNames.size(); i++) {
                labels.put(labelNames.get(i), values.get(i));
            }
            StringBuilder labelText = new StringBuilder();
            labels.forEach((k, v) -> labelText.append(k).append("=\"").append(escape(v)).append("\","));
            long[] cumulative = histogram.cumulativeCounts();
            for (int i = 0; i < cumulative.length; i++) {
                out.append(name).append("_bucket{").append(labelText).append("le=\"").append(LE[i]).append("\"} ")
                        .append(cumulative[i]).append('\n');
            }
            String plain = labelText.isEmpty() ? "" : labelText.substring(0, labelText.length() - 1);
            out.append(name).append("_count{").append(plain).append("} ").append(cumulative[cumulative.length - 1]).append('\n');
            out.append(name).append("_sum{").append(plain).append("} ").append(histogram.sumSeconds()).append('\n');
        });
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
