package io.edgegate.dataplane.pipeline;

import java.util.Map;

/** The pipelines of one config generation by name; immutable. */
public final class Pipelines {

    public static final Pipelines EMPTY = new Pipelines(Map.of());

    private final Map<String, Pipeline> byName;

    Pipelines(Map<String, Pipeline> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** The pipeline called {@code name}, or null. */
    public Pipeline get(String name) {
        return byName.get(name);
    }
}
