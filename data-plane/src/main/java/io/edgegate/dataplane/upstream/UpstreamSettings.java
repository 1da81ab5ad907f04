package io.edgegate.dataplane.upstream;

import java.time.Duration;

/**
 * Limits of upstream connections: how long to wait for a connection, how long an idle pooled
 * connection is kept, and how many idle ones per server and event loop.
 */
public record UpstreamSettings(Duration connectTimeout, Duration idleTimeout, int maxIdlePerServer) {

    public static final UpstreamSettings DEFAULT = new UpstreamSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), 1024);
}
