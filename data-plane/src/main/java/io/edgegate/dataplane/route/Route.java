package io.edgegate.dataplane.route;

import io.edgegate.dataplane.net.IpAccess;
import io.edgegate.spec.server.PathSpec;
import io.edgegate.spec.server.ValueMatchSpec;
import java.util.List;

/** One path of one rule, compiled, with its place in the table's order. */
final class Route {

    /** The rule's index in the high 32 bits, the path's place in its rule in the low: a rule unchanged at its index keeps its routes. */
    final long order;
    final HostMatcher hosts;
    final PathMatcher path;
    private final boolean anyMethod;
    private final String[] methods;
    private final ValueConditions headers;
    private final ValueConditions queries;
    /** The rule's and the path's ipFilter; null where there is none. */
    private final IpAccess ruleAccess;
    private final IpAccess pathAccess;
    /** The outcome when matched, by the index of the header condition that decided (or 0). */
    private final RouteMatch[] matches;

    Route(long order, HostMatcher hosts, IpAccess ruleAccess, PathSpec spec) {
        this.order = order;
        this.hosts = hosts;
        this.ruleAccess = ruleAccess;
        this.pathAccess = spec.ipFilter().map(IpAccess::of).orElse(null);
        this.path = PathMatcher.of(spec);
        this.anyMethod = spec.methods().isEmpty();
        this.methods = spec.methods().toArray(String[]::new);
        this.headers = ValueConditions.of(spec.headers(), spec.matchAllHeader(), spec.allHeadersByValuesOrRegexp());
        this.queries = ValueConditions.of(spec.queries(), spec.matchAllQuery(), false);
        this.matches = matchesByHeader(spec, path);
    }

    private static RouteMatch[] matchesByHeader(PathSpec spec, PathMatcher path) {
        List<ValueMatchSpec> headers = spec.headers();
        HeaderSetters setHeaders = HeaderSetters.of(spec.setHeaders());
        RouteMatch plain = new RouteMatch(RouteMatch.Outcome.MATCHED, spec.backend(), path, spec.clientMaxBodySize(), setHeaders);
        if (headers.isEmpty()) {
            return new RouteMatch[] {plain};
        }
        RouteMatch[] byHeader = new RouteMatch[headers.size()];
        if (spec.matchAllHeader()) {
            // Every condition held: the first one naming a backend takes the request.
            RouteMatch chosen = headers.stream().filter(h -> h.backend().isPresent()).findFirst()
                    .map(h -> new RouteMatch(RouteMatch.Outcome.MATCHED, h.backend().get(), path, spec.clientMaxBodySize(), setHeaders))
                    .orElse(plain);
            java.util.Arrays.fill(byHeader, chosen);
            return byHeader;
        }
        for (int i = 0; i < byHeader.length; i++) {
            byHeader[i] = headers.get(i).backend()
                    .map(b -> new RouteMatch(RouteMatch.Outcome.MATCHED, b, path, spec.clientMaxBodySize(), setHeaders))
                    .orElse(plain);
        }
        return byHeader;
    }

    /** Whether the outcome can depend on more than host, path and method. */
    boolean dependsOnMoreThanTarget() {
        return !headers.isEmpty() || !queries.isEmpty() || ruleAccess != null || pathAccess != null;
    }

    /** Tries this route on a request whose host and path it already matched; records why it did not match. */
    RouteMatch evaluate(Lookup lookup) {
        if (dependsOnMoreThanTarget()) {
            lookup.requestDependent = true;
        }
        // Easegress's order: a rule's ipFilter before its paths; a path's own after its method, headers and query.
        if (ruleAccess != null && !ruleAccess.allows(lookup.client())) {
            lookup.ipDiffered = true;
            return null;
        }
        if (!allows(lookup.method)) {
            lookup.methodDiffered = true;
            return null;
        }
        int decidingHeader = 0;
        if (!headers.isEmpty()) {
            decidingHeader = headers.decidingCondition(lookup::header);
            if (decidingHeader < 0) {
                lookup.valuesDiffered = true;
                return null;
            }
        }
        if (!queries.isEmpty() && queries.decidingCondition(lookup::query) < 0) {
            lookup.valuesDiffered = true;
            return null;
        }
        if (pathAccess != null && !pathAccess.allows(lookup.client())) {
            lookup.ipDiffered = true;
            return null;
        }
        return matches[decidingHeader];
    }

    private boolean allows(String method) {
        if (anyMethod) {
            return true;
        }
        for (String m : methods) {
            if (m.equals(method)) {
                return true;
            }
        }
        return false;
    }
}
