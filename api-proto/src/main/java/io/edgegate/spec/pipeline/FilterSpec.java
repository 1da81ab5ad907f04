package io.edgegate.spec.pipeline;

/** The spec of one filter in a pipeline. Implementations are records, so equal specs mean "unchanged". */
public interface FilterSpec {

    String name();

    /** The filter kind as written in documents, e.g. {@code Proxy}. */
    String kind();
}
