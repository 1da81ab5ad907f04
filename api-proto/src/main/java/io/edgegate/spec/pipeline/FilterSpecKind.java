package io.edgegate.spec.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * What a filter kind declares about itself: its name, the results it can return (the only
 * keys its {@code jumpIf} may use) and how to decode its spec.
 */
public record FilterSpecKind(String kind, Set<String> results, FilterSpecDecoder decoder) {

    public FilterSpecKind {
        requireNonNull(kind, "kind");
        results = Set.copyOf(results);
        requireNonNull(decoder, "decoder");
    }
}
