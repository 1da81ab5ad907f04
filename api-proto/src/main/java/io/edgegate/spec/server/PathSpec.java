package io.edgegate.spec.server;

import com.google.re2j.Pattern;
import io.edgegate.spec.HttpTokens;
import io.edgegate.spec.Names;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.ipfilter.IpFilterRules;
import io.edgegate.spec.filter.proxy.PoolSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One path of a rule: at most one of {@code path} (exact), {@code pathPrefix} and
 * {@code pathRegexp} (none matches every path), optional {@code methods}, header and query
 * conditions (any one must hold, or all with {@code matchAllHeader}/{@code matchAllQuery}),
 * an optional {@code rewriteTarget}, a body limit overriding the server's, and the pipeline
 * that handles the request ({@code backend}). {@code allHeadersByValuesOrRegexp} is Easegress v1's
 * {@code MatchAllHeader} (so spelled there): every header must hold, each by its values or its
 * regexp, where v2's {@code matchAllHeader} asks both of one that has both.
 */
public record PathSpec(
        Optional<String> path,
        Optional<String> pathPrefix,
        Optional<String> pathRegexp,
        Optional<String> rewriteTarget,
        List<String> methods,
        List<ValueMatchSpec> headers,
        boolean matchAllHeader,
        List<ValueMatchSpec> queries,
        boolean matchAllQuery,
        OptionalLong clientMaxBodySize,
        Optional<IpFilterRules> ipFilter,
        String backend,
        Map<String, String> setHeaders,
        Optional<PoolSpec> backendPool,
        Optional<PathPattern> pattern,
        boolean allHeadersByValuesOrRegexp) {

    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    public PathSpec {
        methods = List.copyOf(methods);
        headers = List.copyOf(headers);
        queries = List.copyOf(queries);
        // Most paths set none: one shared empty map, not two objects for each of 50,000 routes.
        setHeaders = setHeaders.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(setHeaders));
    }

    /** This path sending to {@code pipeline} (the one a backendPool becomes on a node). */
    PathSpec withBackend(String pipeline) {
        return new PathSpec(path, pathPrefix, pathRegexp, rewriteTarget, methods, headers, matchAllHeader, queries, matchAllQuery,
                clientMaxBodySize, ipFilter, pipeline, setHeaders, backendPool, pattern, allHeadersByValuesOrRegexp);
    }

    static PathSpec decode(SpecObject o, RouterKind router) {
        Optional<String> path = o.optionalString("path").filter(p -> !p.isEmpty());
        Optional<String> pathPrefix = o.optionalString("pathPrefix").filter(p -> !p.isEmpty());
        Optional<String> pathRegexp = o.optionalString("pathRegexp").filter(p -> !p.isEmpty());
        int set = (path.isPresent() ? 1 : 0) + (pathPrefix.isPresent() ? 1 : 0) + (pathRegexp.isPresent() ? 1 : 0);
        if (set > 1) {
            o.error("set only one of path, pathPrefix and pathRegexp");
        }
        path.filter(p -> !p.startsWith("/")).ifPresent(p -> o.error("path", "'" + p + "' must start with '/'"));
        pathPrefix.filter(p -> !p.startsWith("/"))
                .ifPresent(p -> o.error("pathPrefix", "'" + p + "' must start with '/'"));
        Optional<Pattern> compiled = pathRegexp.flatMap(r -> Regexps.check(r, o, "pathRegexp"));
        Optional<String> rewriteTarget = o.optionalString("rewriteTarget").filter(t -> !t.isEmpty());
        Optional<PathPattern> pattern = Optional.empty();
        if (router == RouterKind.RADIX_TREE) {
            pattern = radixPattern(o, path, pathPrefix, pathRegexp, rewriteTarget);
        } else {
            rewriteTarget.ifPresent(target -> checkRewrite(o, target, set, compiled));
        }
        List<String> methods = o.stringList("methods").stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
        for (int i = 0; i < methods.size(); i++) {
            if (!METHODS.contains(methods.get(i))) {
                o.error("methods[" + i + "]", "'" + methods.get(i) + "' is not an HTTP method (expected one of "
                        + String.join(", ", METHODS.stream().sorted().toList()) + ")");
            }
        }
        List<ValueMatchSpec> headers = o.list("headers", n -> ValueMatchSpec.decodeHeader(n.asObject()));
        boolean v2MatchAllHeader = o.bool("matchAllHeader", false);
        boolean v1MatchAllHeader = o.bool("MatchAllHeader", false);
        boolean matchAllHeader = v2MatchAllHeader || v1MatchAllHeader;
        List<ValueMatchSpec> queries = o.list("queries", n -> ValueMatchSpec.decodeQuery(n.asObject()));
        boolean matchAllQuery = o.bool("matchAllQuery", false);
        long bodyLimit = o.longValue("clientMaxBodySize", 0, -1, Long.MAX_VALUE);
        Optional<IpFilterRules> ipFilter = IpFilterRules.optional(o, "ipFilter");
        // Easegress's backendPool: the path proxies to this pool itself, without a pipeline of its own.
        Optional<PoolSpec> backendPool = o.object("backendPool")
                .map(PoolSpec::decode);
        String backend = backendPool.isPresent() && !o.has("backend") ? "" : Names.read(o, "backend");
        backendPool.filter(pool -> pool.resilience().retryPolicy().isPresent() || pool.resilience().circuitBreakerPolicy().isPresent())
                .ifPresent(pool -> o.error("backendPool", "a backendPool has no pipeline whose resilience policies it could name"));
        if (backendPool.isPresent() && o.has("backend")) {
            o.error("backendPool", "set backend or backendPool, not both");
        }
        // Easegress's setHeaders: request headers set when this path matches, with NGINX-style variables
        // ($request_method, ${arg_page:1}…); a value written empty removes the header.
        Map<String, String> setHeaders = new java.util.LinkedHashMap<>(o.stringMap("setHeaders"));
        setHeaders.forEach((name, value) -> {
            if (!HttpTokens.isHeaderName(name)) {
                o.error("setHeaders." + name, "'" + name + "' is not a header name");
            } else if (!HttpTokens.isHeaderValue(value)) {
                o.error("setHeaders." + name, "the value holds characters a header cannot carry");
            }
        });
        o.finish();
        return new PathSpec(path, pathPrefix, pathRegexp, rewriteTarget, methods, headers, matchAllHeader,
                queries, matchAllQuery, bodyLimit == 0 ? OptionalLong.empty() : OptionalLong.of(bodyLimit), ipFilter, backend,
                setHeaders, backendPool, pattern, v1MatchAllHeader && !v2MatchAllHeader);
    }

    /**
     * Easegress's RadixTree router reads {@code path} only: a plain one is matched exactly, one
     * with parameters or a final '*' as a {@link PathPattern}; it ignores pathPrefix and
     * pathRegexp, which would match nothing there, so they are refused with what to write.
     */
    private static Optional<PathPattern> radixPattern(SpecObject o, Optional<String> path, Optional<String> pathPrefix,
                                                      Optional<String> pathRegexp, Optional<String> rewriteTarget) {
        pathPrefix.ifPresent(p -> o.error("pathPrefix", "routerKind RadixTree matches path only; write path: "
                + (p.endsWith("/") ? p : p + "/") + "*"));
        pathRegexp.ifPresent(r -> o.error("pathRegexp", "routerKind RadixTree matches path only; write the parameter in it, "
                + "e.g. path: /users/{id:[0-9]+}"));
        if (path.isEmpty()) {
            if (pathPrefix.isEmpty() && pathRegexp.isEmpty()) {
                o.error("path", "is required with routerKind RadixTree (e.g. /users/{id}, or /* for every path)");
            }
            return Optional.empty();
        }
        if (!PathPattern.isPattern(path.get())) {
            rewriteTarget.filter(t -> !t.startsWith("/"))
                    .ifPresent(t -> o.error("rewriteTarget", "'" + t + "' must start with '/'"));
            return Optional.empty();
        }
        try {
            PathPattern pattern = PathPattern.parse(path.get());
            rewriteTarget.flatMap(pattern::problemWithRewrite).ifPresent(problem ->
                    o.error("rewriteTarget", "'" + rewriteTarget.get() + "' " + problem));
            return Optional.of(pattern);
        } catch (IllegalArgumentException e) {
            o.error("path", "'" + path.get() + "' " + e.getMessage());
            return Optional.empty();
        }
    }

    private static void checkRewrite(SpecObject o, String target, int pathsSet, Optional<Pattern> regexp) {
        if (pathsSet == 0) {
            o.error("rewriteTarget", "needs a path, pathPrefix or pathRegexp to say what it replaces");
            return;
        }
        if (regexp.isPresent()) {
            RewriteTemplate.parse(target).problemWith(regexp.get())
                    .ifPresent(problem -> o.error("rewriteTarget", "'" + target + "' " + problem));
        } else if (!target.startsWith("/")) {
            o.error("rewriteTarget", "'" + target + "' must start with '/'");
        }
    }
}
