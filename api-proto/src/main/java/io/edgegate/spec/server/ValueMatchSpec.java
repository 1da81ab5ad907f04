package io.edgegate.spec.server;

import io.edgegate.spec.Names;
import io.edgegate.spec.codec.SpecObject;
import java.util.List;
import java.util.Optional;

/**
 * A header or query condition of a path: the first value of {@code key} (empty when absent)
 * is one of {@code values} or contains a match of {@code regexp}. A header condition may name
 * its own {@code backend} (Easegress v1), taking matching requests to another pipeline.
 */
public record ValueMatchSpec(String key, List<String> values, Optional<String> regexp, Optional<String> backend) {

    public ValueMatchSpec {
        values = List.copyOf(values);
    }

    static ValueMatchSpec decodeHeader(SpecObject o) {
        return decode(o, true);
    }

    static ValueMatchSpec decodeQuery(SpecObject o) {
        return decode(o, false);
    }

    private static ValueMatchSpec decode(SpecObject o, boolean mayNameBackend) {
        String key = o.requiredString("key");
        List<String> values = o.stringList("values");
        Optional<String> regexp = o.optionalString("regexp").filter(r -> !r.isEmpty());
        regexp.ifPresent(r -> Regexps.check(r, o, "regexp"));
        if (values.isEmpty() && regexp.isEmpty()) {
            o.error("set values or regexp for '" + key + "' (a condition with neither matches nothing)");
        }
        Optional<String> backend = mayNameBackend && o.optionalString("backend").filter(b -> !b.isEmpty()).isPresent()
                ? Optional.of(Names.read(o, "backend"))
                : Optional.empty();
        o.finish();
        return new ValueMatchSpec(key, values, regexp, backend);
    }
}
