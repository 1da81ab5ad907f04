package io.edgegate.dataplane.route;

import io.edgegate.spec.server.PathSpec;
import io.edgegate.spec.server.Regexps;
import io.edgegate.spec.server.RewriteTemplate;
import java.util.Optional;
import java.util.regex.Pattern;

/** The path condition of a route (exact, prefix, regexp or any) and how its rewriteTarget changes a matching path. */
final class PathMatcher {

    enum Kind { EXACT, PREFIX, REGEXP, ANY }

    private final Kind kind;
    private final String literal;
    private final Pattern regexp;
    private final String rewriteTarget;
    private final RewriteTemplate rewriteTemplate;

    private PathMatcher(Kind kind, String literal, Pattern regexp, String rewriteTarget) {
        this.kind = kind;
        this.literal = literal;
        this.regexp = regexp;
        this.rewriteTarget = rewriteTarget;
        this.rewriteTemplate = regexp != null && rewriteTarget != null ? RewriteTemplate.parse(rewriteTarget) : null;
    }

    static PathMatcher of(PathSpec spec) {
        String rewrite = spec.rewriteTarget().orElse(null);
        if (spec.path().isPresent()) {
            return new PathMatcher(Kind.EXACT, spec.path().get(), null, rewrite);
        }
        if (spec.pathPrefix().isPresent()) {
            return new PathMatcher(Kind.PREFIX, spec.pathPrefix().get(), null, rewrite);
        }
        Optional<String> regexp = spec.pathRegexp();
        return regexp.map(r -> new PathMatcher(Kind.REGEXP, null, Regexps.compile(r), rewrite))
                .orElseGet(() -> new PathMatcher(Kind.ANY, null, null, null));
    }

    Kind kind() {
        return kind;
    }

    /** The exact path or the prefix, for indexing. */
    String literal() {
        return literal;
    }

    boolean matches(String path) {
        return switch (kind) {
            case EXACT -> literal.equals(path);
            case PREFIX -> path.startsWith(literal);
            case REGEXP -> regexp.matcher(path).find();
            case ANY -> true;
        };
    }

    boolean rewrites() {
        return rewriteTarget != null;
    }

    /** The path to forward for a path this matcher matched. */
    String rewrite(String path) {
        if (rewriteTarget == null) {
            return path;
        }
        return switch (kind) {
            case EXACT -> rewriteTarget;
            case PREFIX -> rewriteTarget + path.substring(literal.length());
            case REGEXP -> rewriteTemplate.replaceAll(regexp, path);
            case ANY -> path;
        };
    }
}
