package io.edgegate.spec.match;

import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.server.Regexps;
import java.util.Optional;

/**
 * Easegress's StringMatcher: a value matches when it equals {@code exact}, starts with
 * {@code prefix}, contains a match of {@code regex}, or, with {@code empty: true}, is empty
 * (an absent header reads as empty). Any one that holds is enough.
 */
public record StringMatcherSpec(Optional<String> exact, Optional<String> prefix, Optional<String> regex, boolean empty) {

    public static StringMatcherSpec decode(SpecObject o) {
        Optional<String> exact = o.optionalString("exact").filter(v -> !v.isEmpty());
        Optional<String> prefix = o.optionalString("prefix").filter(v -> !v.isEmpty());
        Optional<String> regex = o.optionalString("regex").filter(v -> !v.isEmpty());
        regex.ifPresent(r -> Regexps.check(r, o, "regex"));
        boolean empty = o.bool("empty", false);
        if (exact.isEmpty() && prefix.isEmpty() && regex.isEmpty() && !empty) {
            o.error("set exact, prefix, regex or empty (a matcher with none matches nothing)");
        }
        o.finish();
        return new StringMatcherSpec(exact, prefix, regex, empty);
    }
}
