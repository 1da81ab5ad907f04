package io.edgegate.dataplane.metrics;

import io.edgegate.api.v1.TrafficSummary;
import io.edgegate.metrics.Metrics;

/**
 * A node's traffic between two readings of its cumulative counts: requests per second, the share
 * of 5xx answers and the 99th percentile of the time to the response head, read off the latency
 * histogram's buckets (so it is the upper bound of the bucket it falls in, as Prometheus's
 * histogram_quantile would bound it).
 */
final class TrafficWindow {

    /** Cumulative counts of all servers at one moment. */
    static final class Totals {
        long requests;
        long serverErrors;
        final long[] buckets = new long[Metrics.LATENCY_BUCKETS.length];
        long activeConnections;
        long activeRequests;
    }

    private Totals last;
    private long lastNanos;

    synchronized TrafficSummary next(Totals now, long nowNanos) {
        Totals previous = last;
        long previousNanos = lastNanos;
        last = now;
        lastNanos = nowNanos;
        TrafficSummary.Builder summary = TrafficSummary.newBuilder().setActiveConnections(now.activeConnections)
                .setActiveRequests(now.activeRequests).setP99Seconds(-1);
        if (previous == null || nowNanos <= previousNanos) {
            return summary.build();
        }
        // Counts of removed servers and routes disappear: a window never goes below zero.
        long requests = Math.max(0, now.requests - previous.requests);
        long errors = Math.max(0, now.serverErrors - previous.serverErrors);
        double seconds = (nowNanos - previousNanos) / 1e9;
        summary.setWindowMillis((nowNanos - previousNanos) / 1_000_000).setRequestsPerSecond(requests / seconds)
                .setServerErrorRatio(requests == 0 ? 0 : Math.min(1, (double) errors / requests));
        if (requests > 0) {
            summary.setP99Seconds(p99(previous, now, requests));
        }
        return summary.build();
    }

    /** The bound of the first bucket holding 99 % of the window's requests; past the last bound, that bound's double. */
    private static double p99(Totals previous, Totals now, long requests) {
        double wanted = Math.ceil(requests * 0.99);
        for (int i = 0; i < now.buckets.length; i++) {
            if (now.buckets[i] - previous.buckets[i] >= wanted) {
                return Metrics.LATENCY_BUCKETS[i].toNanos() / 1e9;
            }
        }
        return 2 * Metrics.LATENCY_BUCKETS[Metrics.LATENCY_BUCKETS.length - 1].toNanos() / 1e9;
    }
}
