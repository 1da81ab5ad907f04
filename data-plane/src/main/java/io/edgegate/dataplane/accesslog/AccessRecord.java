package io.edgegate.dataplane.accesslog;

/**
 * One request as the access log tells it, captured on the event loop when its response head is
 * ready and formatted later on the log's own thread. Path without its query; empty strings for
 * what is unknown (no route, no upstream).
 */
public record AccessRecord(long epochMillis, String server, String backend, String requestId, String traceId, String clientIp, String method,
                           String host, String path, String protocol, int status, String filter, String result, String upstream,
                           int upstreamStatus, int responseFlags,
                           long durationNanos, long requestBytes, String userAgent, String referer) {
}
