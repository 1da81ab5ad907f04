package io.edgegate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The series cap: it refuses what is past the limit, and a series removed frees its place whoever removes it. */
class MetricsTest {

    @Test
    void aMetricKeepsAtMostItsCapAndCountsWhatItRefused() {
        // 20 per metric: the JVM's own metrics (a series per memory pool) stay under it.
        try (Metrics metrics = new Metrics(List.of(), 20)) {
            for (int i = 0; i < 30; i++) {
                Counter.builder("edgegate.test.capped").tag("name", "n" + i).register(metrics.registry()).increment();
            }
            String scrape = metrics.scrape();
            assertThat(scrape.lines().filter(l -> l.startsWith("edgegate_test_capped_total{")).count()).isEqualTo(20);
            assertThat(scrape).contains("edgegate_metrics_series_dropped_total 10.0");

            metrics.removeUnless("name", Set.of("n0"));
            Counter.builder("edgegate.test.capped").tag("name", "n29").register(metrics.registry()).increment();
            assertThat(metrics.scrape()).as("removed series free their places").contains("name=\"n29\"");
        }
    }

    @Test
    void rowsAMultiGaugeReplacesOnEveryScrapeNeverFillTheCap() {
        try (Metrics metrics = new Metrics(List.of(), 20)) {
            MultiGauge gauge = MultiGauge.builder("edgegate.test.rows").register(metrics.registry());
            for (int scrape = 0; scrape < 1_000; scrape++) {
                gauge.register(List.of(MultiGauge.Row.of(Tags.of("node_id", "a"), scrape),
                        MultiGauge.Row.of(Tags.of("node_id", "b"), scrape), MultiGauge.Row.of(Tags.of("node_id", "c"), scrape)), true);
            }
            String scrape = metrics.scrape();
            assertThat(scrape).contains("edgegate_test_rows{node_id=\"c\"} 999.0").contains("edgegate_metrics_series_dropped_total 0.0");
        }
    }
}
