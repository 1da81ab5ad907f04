package io.edgegate.spec.match;

import io.edgegate.spec.codec.SpecObject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Easegress's {@code urls} entry as canary pools, resilience filters and the TimeLimiter write
 * it: one of {@code methods} (empty: any) and a StringMatcher {@code url} on the path.
 */
public record UrlMatchSpec(List<String> methods, StringMatcherSpec url) {

    public UrlMatchSpec {
        methods = List.copyOf(methods);
    }

    /** Reads {@code methods} and {@code url} of {@code o}; the caller reads its other fields and finishes it. */
    public static UrlMatchSpec readFields(SpecObject o) {
        List<String> methods = o.stringList("methods").stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
        StringMatcherSpec url = o.object("url").map(StringMatcherSpec::decode).orElseGet(() -> {
            o.error("url", "is required (a StringMatcher on the path, e.g. {prefix: /api})");
            return new StringMatcherSpec(Optional.empty(), Optional.of("/"), Optional.empty(), false);
        });
        return new UrlMatchSpec(methods, url);
    }
}
