package io.edgegate.dataplane.pipeline;

import io.edgegate.spec.pipeline.FilterSpec;

/** Builds the filter of one kind from its spec. */
public interface FilterFactory<S extends FilterSpec> {

    /** The kind as written in documents, e.g. {@code Proxy}. */
    String kind();

    Class<S> specType();

    Filter create(S spec);

    /** As {@link #create(FilterSpec)}, for a filter of a pipeline; kinds with meters of their own use the scope. */
    default Filter create(S spec, FilterScope scope) {
        return create(spec);
    }
}
