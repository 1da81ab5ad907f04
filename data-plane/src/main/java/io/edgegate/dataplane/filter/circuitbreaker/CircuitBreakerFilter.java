package io.edgegate.dataplane.filter.circuitbreaker;

import io.edgegate.dataplane.metrics.UpstreamStates;
import io.edgegate.dataplane.match.UrlPolicies;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.resilience.Circuit;
import io.edgegate.spec.filter.circuitbreaker.CircuitBreakerPolicySpec;
import io.edgegate.spec.filter.circuitbreaker.CircuitBreakerSpec;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Guards the filters after it: a request whose circuit is open gets 503 without going further;
 * one let through reports the answer it finally got (status, whether the Proxy could not reach
 * the server, how long it took) back to its circuit.
 */
final class CircuitBreakerFilter implements Filter {

    private static final CompletableFuture<String> PASS = CompletableFuture.completedFuture(SUCCESS);
    private static final CompletableFuture<String> SHORT_CIRCUITED =
            CompletableFuture.completedFuture(CircuitBreakerSpec.RESULT_SHORT_CIRCUITED);

    private final UrlPolicies urls;
    /** One circuit per urls rule, the last for the default policy (null when there is none). */
    private final Circuit[] circuits;
    private final CircuitBreakerPolicySpec[] policyOfCircuit;
    private final LongSupplier nanoTime;
    /** Where the circuits' states are reported for the gauges, with what reports them; null outside a node. */
    private UpstreamStates states;
    private UpstreamStates.Source reporter;

    CircuitBreakerFilter(CircuitBreakerSpec spec, LongSupplier nanoTime) {
        List<CircuitBreakerPolicySpec> policies = spec.policies();
        this.urls = UrlPolicies.of(spec.urls(), spec.defaultPolicyRef(), policies.stream().map(CircuitBreakerPolicySpec::name).toList());
        this.nanoTime = nanoTime;
        this.circuits = new Circuit[urls.ruleCount()];
        this.policyOfCircuit = new CircuitBreakerPolicySpec[urls.ruleCount()];
        for (int i = 0; i < circuits.length; i++) {
            int policy = urls.policyOfRule(i);
            if (policy != UrlPolicies.NONE) {
                policyOfCircuit[i] = policies.get(policy);
                circuits[i] = new Circuit(policies.get(policy), nanoTime);
            }
        }
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        int rule = urls.ruleForTarget(context.request().method().name(), context.request().uri());
        if (rule == UrlPolicies.NONE) {
            return PASS;
        }
        Circuit circuit = circuits[rule];
        long permit = circuit.tryAcquire();
        if (permit == Circuit.REFUSED) {
            context.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "circuit open: the service is failing, try again later");
            return SHORT_CIRCUITED;
        }
        Call call = new Call(circuit, permit, policyOfCircuit[rule], context, nanoTime);
        context.beforeResponse(call);
        context.onAbort(call::abandoned);
        return PASS;
    }

    /**
     * Reports each circuit's state at every scrape, as a Proxy reports its pools' circuits: the
     * filter is the {@code proxy} label and the rule ({@code default}, {@code urls[i]}) the {@code pool}.
     */
    void reportTo(UpstreamStates upstreamStates, String pipeline, String filterName) {
        this.states = upstreamStates;
        this.reporter = (servers, circuitStates) -> {
            for (int i = 0; i < circuits.length; i++) {
                if (circuits[i] != null) {
                    circuitStates.add(new UpstreamStates.Circuit(pipeline, filterName, ruleName(i), circuits[i].state().name()));
                }
            }
        };
        upstreamStates.add(reporter);
    }

    @Override
    public void close() {
        if (states != null) {
            states.remove(reporter);
        }
    }

    private String ruleName(int rule) {
        return rule == circuits.length - 1 ? "default" : "urls[" + rule + "]";
    }

    /** One line per circuit: which rule, its state, failure rate over its window, calls refused. */
    @Override
    public List<String> status() {
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < circuits.length; i++) {
            if (circuits[i] == null) {
                continue;
            }
            Circuit.Snapshot s = circuits[i].snapshot();
            String rule = ruleName(i);
            String rate = s.failureRatePercent() < 0 ? "failure rate not yet known" : "failure rate " + s.failureRatePercent() + "%";
            lines.add("circuit " + rule + " (policy " + policyOfCircuit[i].name() + "): " + s.state() + ", " + rate + " over "
                    + s.calls() + " calls, " + s.shortCircuited() + " short-circuited");
        }
        return lines;
    }

    /** One call let through: reports its outcome to the circuit exactly once. */
    private static final class Call implements Consumer<HttpResponse> {

        private final Circuit circuit;
        private final long permit;
        private final CircuitBreakerPolicySpec policy;
        private final RequestContext context;
        private final LongSupplier nanoTime;
        private final long started;
        private boolean reported;

        Call(Circuit circuit, long permit, CircuitBreakerPolicySpec policy, RequestContext context, LongSupplier nanoTime) {
            this.circuit = circuit;
            this.permit = permit;
            this.policy = policy;
            this.context = context;
            this.nanoTime = nanoTime;
            this.started = nanoTime.getAsLong();
        }

        @Override
        public void accept(HttpResponse response) {
            if (reported) {
                return;
            }
            reported = true;
            // As Easegress v1: only the policy's own codes are failing statuses (none given: none is).
            boolean failure = policy.failureStatusCodes().contains(response.status().code())
                    || (policy.countingNetworkException() && context.get(RequestKeys.UPSTREAM_FAILED));
            circuit.record(permit, failure, nanoTime.getAsLong() - started);
        }

        void abandoned() {
            if (!reported) {
                reported = true;
                circuit.release(permit);
            }
        }
    }
}
