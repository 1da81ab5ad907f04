package io.edgegate.dataplane.filter.cors;

import java.util.List;
import java.util.Locale;

/** Which origins CORS lets in: any ({@code *}), exact ones, and ones with a single {@code *} wildcard. */
final class OriginMatcher {

    private final boolean any;
    private final List<String> exact;
    private final List<String[]> wildcards;

    OriginMatcher(List<String> allowed) {
        this.any = allowed.contains("*");
        this.exact = allowed.stream().filter(o -> !o.contains("*")).map(o -> o.toLowerCase(Locale.ROOT)).toList();
        this.wildcards = allowed.stream().filter(o -> o.contains("*") && !o.equals("*"))
                .map(o -> o.toLowerCase(Locale.ROOT).split("\\*", 2)).toList();
    }

    boolean allowsAny() {
        return any;
    }

    boolean allows(String origin) {
        if (any) {
            return true;
        }
        String o = origin.toLowerCase(Locale.ROOT);
        if (exact.contains(o)) {
            return true;
        }
        for (String[] parts : wildcards) {
            // As rs/cors (Easegress): the wildcard may stand for nothing, so "http://localhost*" lets in http://localhost.
            if (o.length() >= parts[0].length() + parts[1].length() && o.startsWith(parts[0]) && o.endsWith(parts[1])) {
                return true;
            }
        }
        return false;
    }
}
