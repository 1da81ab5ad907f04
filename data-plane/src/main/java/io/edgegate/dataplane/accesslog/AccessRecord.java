package io.edgegate.dataplane.accesslog;

/**
 * One request as the access log tells it: captured on the event loop when its response head is
 * ready, completed when the response's last byte is written (or the client left), and formatted
 * on the log's own thread. Path without its query; empty strings for what is unknown (no route,
 * no upstream). {@code durationNanos} runs to the response's head, {@code totalNanos} to its last
 * byte; {@code responseBytes} counts the body written.
 */
public record AccessRecord(long epochMillis, String server, String backend, String requestId, String traceId, String clientIp, String method,
                           String host, String path, String protocol, int status, String filter, String result, String upstream,
                           int upstreamStatus, int responseFlags,
                           long durationNanos, long requestBytes, String userAgent, String referer, long responseBytes, long totalNanos) {

    /** This record once its response is written: {@code bytes} of body, {@code total} since the request began, more flags. */
    public AccessRecord written(long bytes, long total, int moreFlags) {
        return new AccessRecord(epochMillis, server, backend, requestId, traceId, clientIp, method, host, path, protocol, status, filter,
                result, upstream, upstreamStatus, responseFlags | moreFlags, durationNanos, requestBytes, userAgent, referer, bytes, total);
    }
}
