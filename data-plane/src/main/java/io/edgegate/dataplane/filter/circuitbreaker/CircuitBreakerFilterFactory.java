package io.edgegate.dataplane.filter.circuitbreaker;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.circuitbreaker.CircuitBreakerSpec;

/** Builds CircuitBreaker filters; circuits live as long as the filter (an unchanged filter keeps them across applies). */
public final class CircuitBreakerFilterFactory implements FilterFactory<CircuitBreakerSpec> {

    @Override
    public String kind() {
        return CircuitBreakerSpec.KIND;
    }

    @Override
    public Class<CircuitBreakerSpec> specType() {
        return CircuitBreakerSpec.class;
    }

    @Override
    public Filter create(CircuitBreakerSpec spec) {
        return new CircuitBreakerFilter(spec, System::nanoTime);
    }

    /** In a pipeline, its circuits' states are the node's {@code edgegate_upstream_circuit_state} gauges too. */
    @Override
    public Filter create(CircuitBreakerSpec spec, io.edgegate.dataplane.pipeline.FilterScope scope) {
        CircuitBreakerFilter filter = new CircuitBreakerFilter(spec, System::nanoTime);
        filter.reportTo(scope.upstreamStates(), scope.pipeline(), spec.name());
        return filter;
    }
}
