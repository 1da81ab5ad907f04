package io.edgegate.dataplane.route;

import io.edgegate.spec.server.PathSpec;
import io.edgegate.spec.server.RuleSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTPServer's rules, compiled once per config. Rules are tried in order and paths in
 * order within a rule; the first path that matches host, path and method wins. If some path
 * matched but none took the method, the answer is 405 rather than 404.
 */
public final class RouteTable {

    private final Rule[] rules;

    private RouteTable(Rule[] rules) {
        this.rules = rules;
    }

    public static RouteTable of(List<RuleSpec> specs) {
        List<Rule> rules = new ArrayList<>();
        for (RuleSpec spec : specs) {
            List<PathMatcher> paths = new ArrayList<>();
            for (PathSpec path : spec.paths()) {
                paths.add(PathMatcher.of(path));
            }
            rules.add(new Rule(HostMatcher.of(spec), paths.toArray(PathMatcher[]::new)));
        }
        return new RouteTable(rules.toArray(Rule[]::new));
    }

    /**
     * Routes a request. {@code host} is the Host header lower-cased and without its port;
     * {@code path} the request path without its query.
     */
    public RouteMatch route(String host, String path, String method) {
        boolean methodDiffered = false;
        for (Rule rule : rules) {
            if (!rule.hosts.matches(host)) {
                continue;
            }
            for (PathMatcher candidate : rule.paths) {
                if (candidate.matchesPath(path)) {
                    if (candidate.allows(method)) {
                        return candidate.match();
                    }
                    methodDiffered = true;
                }
            }
        }
        return methodDiffered ? RouteMatch.METHOD_NOT_ALLOWED : RouteMatch.NOT_FOUND;
    }

    private record Rule(HostMatcher hosts, PathMatcher[] paths) {
    }
}
