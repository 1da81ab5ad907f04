package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.Response;
import java.util.concurrent.CompletionStage;

/** The Proxy's upstreamHeader: the upstream's answer names the server that gave it. */
final class UpstreamHeaderCall implements ProxyCall {

    private final String header;
    private final ProxyCall next;

    UpstreamHeaderCall(String header, ProxyCall next) {
        this.header = header;
        this.next = next;
    }

    @Override
    public CompletionStage<String> call(ProxyExchange exchange) {
        return next.call(exchange).thenApply(result -> {
            Response answer = exchange.upstreamAnswer();
            if (answer != null) {
                answer.head().headers().set(header, exchange.server().url());
            }
            return result;
        });
    }
}
