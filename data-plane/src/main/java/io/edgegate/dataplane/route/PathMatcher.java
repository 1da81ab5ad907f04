package io.edgegate.dataplane.route;

import io.edgegate.spec.server.PathSpec;
import java.util.Set;
import java.util.regex.Pattern;

/** One path of a rule, compiled: how it matches the path, which methods it takes, where it leads. */
final class PathMatcher {

    private final String exact;
    private final String prefix;
    private final Pattern regexp;
    private final Set<String> methods;
    private final RouteMatch match;

    private PathMatcher(String exact, String prefix, Pattern regexp, Set<String> methods, RouteMatch match) {
        this.exact = exact;
        this.prefix = prefix;
        this.regexp = regexp;
        this.methods = methods;
        this.match = match;
    }

    static PathMatcher of(PathSpec spec) {
        return new PathMatcher(
                spec.path().orElse(null),
                spec.pathPrefix().orElse(null),
                spec.pathRegexp().map(Pattern::compile).orElse(null),
                Set.copyOf(spec.methods()),
                new RouteMatch(RouteMatch.Outcome.MATCHED, spec.backend()));
    }

    boolean matchesPath(String path) {
        if (exact != null) {
            return exact.equals(path);
        }
        if (prefix != null) {
            return path.startsWith(prefix);
        }
        if (regexp != null) {
            return regexp.matcher(path).matches();
        }
        return true;
    }

    boolean allows(String method) {
        return methods.isEmpty() || methods.contains(method);
    }

    RouteMatch match() {
        return match;
    }
}
