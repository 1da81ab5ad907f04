package io.edgegate.dataplane.pipeline;

import io.edgegate.dataplane.metrics.UpstreamStates;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Where a filter is built: its pipeline's name and the node's meters, for filters that count what
 * they do, and the node's upstream states, to which Proxies report their pools.
 */
public record FilterScope(String pipeline, MeterRegistry meters, UpstreamStates upstreamStates, boolean inV1Pipeline) {

    /** In a v2 {@code Pipeline}. */
    public FilterScope(String pipeline, MeterRegistry meters, UpstreamStates upstreamStates) {
        this(pipeline, meters, upstreamStates, false);
    }

    /** A scope whose upstream states go to {@code meters} alone (a filter built outside a node). */
    public FilterScope(String pipeline, MeterRegistry meters) {
        this(pipeline, meters, new UpstreamStates(meters));
    }
}
