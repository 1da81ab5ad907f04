package io.edgegate.dataplane.upstream;

import java.time.Duration;

/**
 * Limits of upstream connections: how long to wait for a connection; how long an idle pooled
 * connection is kept, which is also how long a response body the client waits for may go without a
 * byte; how many idle ones per server and event loop; and how long an HTTP/1 answer may take to start
 * once its request is sent, when the caller has no deadline of its own.
 */
public record UpstreamSettings(Duration connectTimeout, Duration idleTimeout, int maxIdlePerServer, Duration answerTimeout) {

    /** 60 s for an answer to start and between two reads of a body the client waits for, as NGINX's proxy_read_timeout. */
    public static final UpstreamSettings DEFAULT = new UpstreamSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), 1024,
            Duration.ofSeconds(60));
}
