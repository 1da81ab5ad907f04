package io.edgegate.dataplane.accesslog;

/**
 * One request as the access log tells it, made on the event loop once the response's last byte is
 * written (or the client left). Path without its query; empty strings for what is unknown (no route,
 * no upstream). {@code durationNanos} runs to the response's head, {@code totalNanos} to its last
 * byte; {@code responseBytes} counts the body written.
 */
public record AccessRecord(long epochMillis, String server, String backend, String requestId, CharSequence traceId, String clientIp, String method,
                           String host, String path, String protocol, int status, String filter, String result, String upstream,
                           int upstreamStatus, int responseFlags,
                           long durationNanos, long requestBytes, String userAgent, String referer, long responseBytes, long totalNanos) {
}
