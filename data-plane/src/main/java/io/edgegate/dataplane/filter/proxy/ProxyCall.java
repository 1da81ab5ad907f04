package io.edgegate.dataplane.filter.proxy;

import java.util.concurrent.CompletionStage;

/**
 * A Proxy's handling of one request, or a part wrapped around it (cache, circuit, compression):
 * answers the request and completes with the Proxy's result.
 */
interface ProxyCall {

    CompletionStage<String> call(ProxyExchange exchange);
}
