package io.edgegate.spec.filter.adaptor;

import io.edgegate.spec.codec.SpecObject;
import java.util.Optional;

/** Reads an optional template field, reporting a malformed one at its key. */
final class Templates {

    private Templates() {
    }

    static Optional<RequestTemplate> optional(SpecObject o, String key) {
        Optional<String> text = o.optionalString(key).filter(v -> !v.isEmpty());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RequestTemplate.parse(text.get()));
        } catch (IllegalArgumentException e) {
            o.error(key, e.getMessage());
            return Optional.empty();
        }
    }
}
