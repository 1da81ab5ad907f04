package io.edgegate.dataplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.api.v1.TrafficSummary;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The traffic a node reports with each heartbeat (egctl top): rates and p99 of the window only. */
class TrafficWindowTest {

    private final NodeMetrics metrics = new NodeMetrics("n");
    private final RequestMeters server = metrics.server("s");

    @Test
    void aWindowCountsOnlyItsOwnRequests() {
        assertThat(metrics.trafficSinceLastCall().getP99Seconds()).as("no window yet").isEqualTo(-1);
        for (int i = 0; i < 1_000; i++) {
            server.backend("b").record(200, TimeUnit.MILLISECONDS.toNanos(3));
        }
        TrafficSummary first = metrics.trafficSinceLastCall();
        assertThat(first.getRequestsPerSecond()).isPositive();
        assertThat(first.getP99Seconds()).isEqualTo(0.005);

        for (int i = 0; i < 97; i++) {
            server.backend("b").record(200, TimeUnit.MILLISECONDS.toNanos(1));
        }
        for (int i = 0; i < 3; i++) {
            server.backend("b").record(503, TimeUnit.MILLISECONDS.toNanos(80));
        }
        TrafficSummary second = metrics.trafficSinceLastCall();
        assertThat(second.getServerErrorRatio()).isEqualTo(0.03);
        assertThat(second.getP99Seconds()).as("3 of 100 took 80 ms: p99 is in the 100 ms bucket").isEqualTo(0.1);

        TrafficSummary idle = metrics.trafficSinceLastCall();
        assertThat(idle.getRequestsPerSecond()).isZero();
        assertThat(idle.getP99Seconds()).isEqualTo(-1);
        assertThat(idle.getServerErrorRatio()).isZero();
    }
}
