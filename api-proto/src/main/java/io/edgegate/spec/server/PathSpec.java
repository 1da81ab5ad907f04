package io.edgegate.spec.server;

import io.edgegate.spec.Names;
import io.edgegate.spec.codec.SpecObject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One path of a rule: at most one of {@code path} (exact), {@code pathPrefix} and
 * {@code pathRegexp} (none matches every path), optional {@code methods}, and the pipeline
 * that handles the request ({@code backend}).
 */
public record PathSpec(
        Optional<String> path,
        Optional<String> pathPrefix,
        Optional<String> pathRegexp,
        List<String> methods,
        String backend) {

    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    public PathSpec {
        methods = List.copyOf(methods);
    }

    static PathSpec decode(SpecObject o) {
        o.unsupported("arrives with the HTTP-protocols issue",
                "rewriteTarget", "headers", "queries", "matchAllHeader", "matchAllQuery", "clientMaxBodySize");
        Optional<String> path = o.optionalString("path");
        Optional<String> pathPrefix = o.optionalString("pathPrefix");
        Optional<String> pathRegexp = o.optionalString("pathRegexp");
        int set = (path.isPresent() ? 1 : 0) + (pathPrefix.isPresent() ? 1 : 0) + (pathRegexp.isPresent() ? 1 : 0);
        if (set > 1) {
            o.error("set only one of path, pathPrefix and pathRegexp");
        }
        path.filter(p -> !p.startsWith("/")).ifPresent(p -> o.error("path", "'" + p + "' must start with '/'"));
        pathPrefix.filter(p -> !p.startsWith("/"))
                .ifPresent(p -> o.error("pathPrefix", "'" + p + "' must start with '/'"));
        pathRegexp.ifPresent(r -> Regexps.check(r, o, "pathRegexp"));
        List<String> methods = o.stringList("methods").stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
        for (int i = 0; i < methods.size(); i++) {
            if (!METHODS.contains(methods.get(i))) {
                o.error("methods[" + i + "]", "'" + methods.get(i) + "' is not an HTTP method (expected one of "
                        + String.join(", ", METHODS.stream().sorted().toList()) + ")");
            }
        }
        String backend = Names.read(o, "backend");
        o.finish();
        return new PathSpec(path, pathPrefix, pathRegexp, methods, backend);
    }
}
