package io.edgegate.dataplane.pipeline;

/** What filters need to know about the HTTPServer that accepted a request. */
public record ServerSettings(String serverName, boolean xForwardedFor) {
}
