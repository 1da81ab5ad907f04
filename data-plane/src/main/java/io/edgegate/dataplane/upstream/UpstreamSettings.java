package io.edgegate.dataplane.upstream;

import java.time.Duration;

/**
 * Limits of upstream connections: how long to wait for a connection, how long an idle pooled
 * connection is kept, how many idle ones per server and event loop, and the largest response
 * body buffered.
 */
public record UpstreamSettings(Duration connectTimeout, Duration idleTimeout, int maxIdlePerServer, int maxResponseBytes) {

    public static final UpstreamSettings DEFAULT =
            new UpstreamSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), 1024, 64 * 1024 * 1024);
}
