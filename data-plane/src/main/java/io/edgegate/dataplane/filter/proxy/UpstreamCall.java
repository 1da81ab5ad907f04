package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Sending the request to a server and getting its answer's head, or a part wrapped around that
 * (deadline, retries, mirroring). Completes exceptionally when no answer came; the server a retry
 * ended on is {@link ProxyExchange#server()}.
 */
interface UpstreamCall {

    CompletableFuture<UpstreamResponse> send(ProxyExchange exchange, Upstream server, BodyStream body);
}
