package io.edgegate.dataplane.match;

import io.edgegate.spec.match.UrlMatchSpec;
import java.util.Set;

/** A {@code urls} entry compiled once per config: the method (any when none is listed) and a StringMatcher on the path. */
public final class UrlMatcher {

    private final Set<String> methods;
    private final StringMatcher path;

    private UrlMatcher(Set<String> methods, StringMatcher path) {
        this.methods = methods;
        this.path = path;
    }

    public static UrlMatcher of(UrlMatchSpec spec) {
        return new UrlMatcher(Set.copyOf(spec.methods()), StringMatcher.of(spec.url()));
    }

    public boolean matches(String method, String requestPath) {
        return (methods.isEmpty() || methods.contains(method)) && path.matches(requestPath);
    }
}
