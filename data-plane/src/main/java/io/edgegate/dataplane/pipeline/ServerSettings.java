package io.edgegate.dataplane.pipeline;

import io.edgegate.dataplane.net.ClientAddresses;

/** What filters need to know about the HTTPServer that accepted a request. */
public record ServerSettings(String serverName, boolean xForwardedFor, ClientAddresses clients) {
}
