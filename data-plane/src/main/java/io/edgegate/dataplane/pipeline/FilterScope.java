package io.edgegate.dataplane.pipeline;

import io.micrometer.core.instrument.MeterRegistry;

/** Where a filter is built: its pipeline's name and the node's meters, for filters that count what they do. */
public record FilterScope(String pipeline, MeterRegistry meters) {
}
