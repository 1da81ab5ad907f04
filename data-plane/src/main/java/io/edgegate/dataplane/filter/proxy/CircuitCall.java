package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.FilterResults;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.dataplane.resilience.Circuit;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletionStage;

/**
 * A pool's circuit breaker (v2 circuitBreakerPolicy): while open, requests get 503 at once
 * ({@code shortCircuited}); otherwise the circuit learns how each call went.
 */
final class CircuitCall implements ProxyCall {

    private final Circuit circuit;
    private final ProxyCall next;
    private final FilterResults results;

    CircuitCall(Circuit circuit, ProxyCall next, FilterResults results) {
        this.circuit = circuit;
        this.next = next;
        this.results = results;
    }

    @Override
    public CompletionStage<String> call(ProxyExchange exchange) {
        long permit = circuit.tryAcquire();
        if (permit == Circuit.REFUSED) {
            exchange.context().respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "circuit open: the service is failing, try again later");
            return results.of(ProxySpec.RESULT_SHORT_CIRCUITED);
        }
        long started = System.nanoTime();
        return next.call(exchange).whenComplete((result, error) -> report(exchange, permit, System.nanoTime() - started));
    }

    /** The answer's status, or the server not reached in time; nothing when no server was tried or the client left. */
    private void report(ProxyExchange exchange, long permit, long elapsedNanos) {
        RequestContext context = exchange.context();
        Response response = context.response();
        if (!exchange.serverPicked() || context.isAborted() || response == null) {
            circuit.release(permit);
            return;
        }
        ServerPool pool = exchange.pool();
        // As Easegress v2's circuit, which counts every call that ended in an error: a server not reached or too slow too.
        boolean failed = context.get(RequestKeys.UPSTREAM_FAILED) || pool.isFailure(response.head().status().code());
        circuit.record(permit, failed, elapsedNanos);
    }
}
