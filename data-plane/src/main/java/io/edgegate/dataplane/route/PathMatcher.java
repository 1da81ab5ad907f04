package io.edgegate.dataplane.route;

import com.google.re2j.Pattern;
import io.edgegate.spec.server.PathPattern;
import io.edgegate.spec.server.PathSpec;
import io.edgegate.spec.server.Regexps;
import io.edgegate.spec.server.RewriteTemplate;
import java.util.Optional;

/**
 * The path condition of a route (exact, prefix, regexp, a RadixTree pattern or any) and how its
 * rewriteTarget changes a matching path.
 */
final class PathMatcher {

    enum Kind { EXACT, PREFIX, REGEXP, PATTERN, ANY }

    private final Kind kind;
    private final String literal;
    private final Pattern regexp;
    private final PathPattern pattern;
    private final String rewriteTarget;
    private final RewriteTemplate rewriteTemplate;

    private PathMatcher(Kind kind, String literal, Pattern regexp, PathPattern pattern, String rewriteTarget) {
        this.kind = kind;
        this.literal = literal;
        this.regexp = regexp;
        this.pattern = pattern;
        this.rewriteTarget = rewriteTarget;
        this.rewriteTemplate = regexp != null && rewriteTarget != null ? RewriteTemplate.parse(rewriteTarget) : null;
    }

    private PathMatcher(Kind kind, String literal, Pattern regexp, String rewriteTarget) {
        this(kind, literal, regexp, null, rewriteTarget);
    }

    static PathMatcher of(PathSpec spec) {
        String rewrite = spec.rewriteTarget().orElse(null);
        if (spec.pattern().isPresent()) {
            return new PathMatcher(Kind.PATTERN, null, null, spec.pattern().get(), rewrite);
        }
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
            case PATTERN -> pattern.match(path) != null;
            case ANY -> true;
        };
    }

    /** The RadixTree pattern of a PATTERN matcher. */
    PathPattern pattern() {
        return pattern;
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
            case PATTERN -> pattern.rewrite(rewriteTarget, pattern.match(path));
            case ANY -> path;
        };
    }
}
