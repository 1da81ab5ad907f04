package io.edgegate.spec.pipeline;

/** The spec of one filter in a pipeline. Implementations are records, so equal specs mean "unchanged". */
public interface FilterSpec {

    String name();

    /** The filter kind as written in documents, e.g. {@code Proxy}. */
    String kind();

    /**
     * This spec with the pipeline's v2 {@code resilience} policies it names resolved; a filter
     * that names none returns itself.
     *
     * @throws IllegalArgumentException naming a policy the pipeline does not have
     */
    default FilterSpec withResilience(io.edgegate.spec.filter.resilience.ResiliencePolicies policies) {
        return this;
    }
}
