package io.edgegate.dataplane.route;

import com.google.re2j.Pattern;
import io.edgegate.spec.server.Regexps;
import io.edgegate.spec.server.ValueMatchSpec;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A path's header or query conditions. Each reads the first value of its key (empty when
 * absent, as Go's {@code Get} does). Any condition holding is enough, or all must hold when
 * the path says {@code matchAll}.
 */
final class ValueConditions {

    private record Condition(String key, Set<String> values, Pattern regexp, int index) {

        boolean holds(String value) {
            return values.contains(value) || (regexp != null && regexp.matcher(value).find());
        }

        boolean allHold(String value) {
            return (values.isEmpty() || values.contains(value)) && (regexp == null || regexp.matcher(value).find());
        }
    }

    static final ValueConditions NONE = new ValueConditions(new Condition[0], false, false);

    private final Condition[] conditions;
    private final boolean matchAll;
    /** With {@link #matchAll}: each condition holds by its values or its regexp (Easegress v1), not by both. */
    private final boolean eitherSuffices;

    private ValueConditions(Condition[] conditions, boolean matchAll, boolean eitherSuffices) {
        this.conditions = conditions;
        this.matchAll = matchAll;
        this.eitherSuffices = eitherSuffices;
    }

    static ValueConditions of(List<ValueMatchSpec> specs, boolean matchAll, boolean eitherSuffices) {
        if (specs.isEmpty()) {
            return NONE;
        }
        Condition[] conditions = new Condition[specs.size()];
        for (int i = 0; i < conditions.length; i++) {
            ValueMatchSpec spec = specs.get(i);
            conditions[i] = new Condition(spec.key(), Set.copyOf(spec.values()),
                    spec.regexp().map(Regexps::compile).orElse(null), i);
        }
        return new ValueConditions(conditions, matchAll, eitherSuffices);
    }

    boolean isEmpty() {
        return conditions.length == 0;
    }

    /**
     * Which condition decided a match: the index of the first condition that holds (with
     * {@code matchAll}, of the first condition), or -1 when the request does not match.
     * {@code lookup} returns the first value of a key, or null.
     */
    int decidingCondition(Function<String, String> lookup) {
        if (matchAll) {
            for (Condition c : conditions) {
                String value = valueOf(c, lookup);
                if (eitherSuffices ? !c.holds(value) : !c.allHold(value)) {
                    return -1;
                }
            }
            return 0;
        }
        for (Condition c : conditions) {
            if (c.holds(valueOf(c, lookup))) {
                return c.index();
            }
        }
        return -1;
    }

    private static String valueOf(Condition c, Function<String, String> lookup) {
        String value = lookup.apply(c.key());
        return value == null ? "" : value;
    }
}
