package io.edgegate.dataplane.upstream;

import java.time.Duration;

/**
 * Limits of upstream connections: how long to wait for a connection; how long an idle pooled
 * connection is kept, which is also how long an HTTP/1 server may go without sending a byte once the
 * request is sent (when the caller has no deadline of its own) and while the client waits for more of
 * the body; and how many idle ones per server and event loop.
 */
public record UpstreamSettings(Duration connectTimeout, Duration idleTimeout, int maxIdlePerServer) {

    /** 60 s idle, as NGINX's proxy_read_timeout between two reads. */
    public static final UpstreamSettings DEFAULT = new UpstreamSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), 1024);
}
