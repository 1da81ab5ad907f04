package io.edgegate.dataplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The striped latency histograms: Prometheus's text for them, their cap and their sweep. */
class HistogramFamilyTest {

    private final AtomicLong dropped = new AtomicLong();
    private final HistogramFamily family = new HistogramFamily("edgegate_test_seconds", "A test", List.of("server", "backend"), 2,
            dropped::addAndGet, new ThreadSlots(4));

    @Test
    void bucketsAreCumulativeWithCountAndSumAndLabelsSortedLeLast() {
        LatencyHistogram h = family.series("s", "b\"q");
        h.record(500_000);        // 0.5 ms: first bucket (le 0.001)
        h.record(3_000_000);      // 3 ms: le 0.005
        h.record(20_000_000_000L); // 20 s: past the last bound
        StringBuilder out = new StringBuilder();
        family.render(out, Map.of("node", "n1"));
        String text = out.toString();
        assertThat(text).startsWith("# HELP edgegate_test_seconds A test\n# TYPE edgegate_test_seconds histogram\n");
        assertThat(text).contains("edgegate_test_seconds_bucket{backend=\"b\\\"q\",node=\"n1\",server=\"s\",le=\"0.001\"} 1\n")
                .contains("le=\"0.002\"} 1\n").contains("le=\"0.005\"} 2\n").contains("le=\"10.0\"} 2\n").contains("le=\"+Inf\"} 3\n")
                .contains("edgegate_test_seconds_count{backend=\"b\\\"q\",node=\"n1\",server=\"s\"} 3\n")
                .contains("edgegate_test_seconds_sum{backend=\"b\\\"q\",node=\"n1\",server=\"s\"} 20.0035\n");
    }

    @Test
    void pastItsCapASeriesIsRefusedAndCountedAndDeletedObjectsLeaveNoSeries() {
        assertThat(family.series("s", "a")).isNotNull();
        assertThat(family.series("s", "b")).isNotNull();
        assertThat(family.series("s", "c")).isNull();
        assertThat(dropped.get()).isEqualTo(1);
        assertThat(family.series("s", "a")).as("an existing series is still found").isNotNull();
        family.removeUnless("backend", Set.of("a"));
        StringBuilder out = new StringBuilder();
        family.render(out, Map.of());
        assertThat(out.toString()).contains("backend=\"a\"").doesNotContain("backend=\"b\"");
        assertThat(family.series("s", "d")).as("room again").isNotNull();
    }
}
