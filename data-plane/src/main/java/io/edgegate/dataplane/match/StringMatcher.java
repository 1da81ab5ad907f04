package io.edgegate.dataplane.match;

import com.google.re2j.Pattern;
import io.edgegate.spec.match.StringMatcherSpec;
import io.edgegate.spec.server.Regexps;

/** A StringMatcher, compiled once per config. */
public final class StringMatcher {

    private final String exact;
    private final String prefix;
    private final Pattern regex;
    private final boolean empty;

    private StringMatcher(String exact, String prefix, Pattern regex, boolean empty) {
        this.exact = exact;
        this.prefix = prefix;
        this.regex = regex;
        this.empty = empty;
    }

    public static StringMatcher of(StringMatcherSpec spec) {
        return new StringMatcher(spec.exact().orElse(null), spec.prefix().orElse(null),
                spec.regex().map(Regexps::compile).orElse(null), spec.empty());
    }

    /** Whether this matcher is {@code empty: true}. */
    public boolean matchesEmpty() {
        return empty;
    }

    /** {@code value} null (absent) counts as empty. */
    public boolean matches(String value) {
        String v = value == null ? "" : value;
        return (empty && v.isEmpty())
                || (exact != null && exact.equals(v))
                || (prefix != null && v.startsWith(prefix))
                || (regex != null && regex.matcher(v).find());
    }
}
