package io.edgegate.dataplane.pipeline;

import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The filter factories of this data plane, keyed by kind. It refuses at construction a kind
 * registered twice and any kind the spec model knows but this data plane cannot build, so a
 * gap shows up at start-up, not on the first request.
 */
public final class FilterRegistry {

    private final Map<String, FilterFactory<?>> factories;
    private final FilterSpecKinds specKinds;

    public FilterRegistry(FilterSpecKinds specKinds, List<FilterFactory<?>> factories) {
        Map<String, FilterFactory<?>> byKind = new HashMap<>();
        for (FilterFactory<?> factory : factories) {
            if (byKind.putIfAbsent(factory.kind(), factory) != null) {
                throw new IllegalArgumentException("filter kind registered twice: " + factory.kind());
            }
        }
        Set<String> missing = new TreeSet<>(specKinds.names());
        missing.removeAll(byKind.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no filter factory for kinds " + missing);
        }
        this.factories = Map.copyOf(byKind);
        this.specKinds = specKinds;
    }

    /** The results filters of {@code kind} declare: the only ones they may return besides success. */
    public Set<String> results(String kind) {
        return specKinds.get(kind).map(k -> k.results()).orElse(Set.of());
    }

    public Filter create(FilterSpec spec, FilterScope scope) {
        FilterFactory<?> factory = factories.get(spec.kind());
        if (factory == null) {
            throw new IllegalArgumentException("unknown filter kind " + spec.kind());
        }
        return createTyped(factory, spec, scope);
    }

    private static <S extends FilterSpec> Filter createTyped(FilterFactory<S> factory, FilterSpec spec, FilterScope scope) {
        return factory.create(factory.specType().cast(spec), scope);
    }
}
