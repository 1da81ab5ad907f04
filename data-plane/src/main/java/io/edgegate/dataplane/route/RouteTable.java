package io.edgegate.dataplane.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.edgegate.spec.server.HttpServerSpec;
import io.edgegate.spec.server.PathSpec;
import io.edgegate.spec.server.RouterKind;
import io.edgegate.spec.server.RuleSpec;
import io.edgegate.dataplane.net.ClientAddresses;
import io.edgegate.dataplane.net.IpAccess;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An HTTPServer's rules, compiled once per config. Rules are tried in order and paths in
 * order within a rule (with routerKind RadixTree: exact paths, then patterns as
 * {@link RadixOrder} ranks them); the first path that matches host, path, method, headers and
 * query wins. Lookup goes to the routes of an exact host, then to those of the rules that serve
 * any host or a host pattern, and within each to exact paths by hash and prefixes through a
 * trie, so its cost does not grow with the number of rules on those common cases. When nothing
 * matches the answer is 403 if an IP filter refused the client, else 400 if header or query
 * conditions failed, 405 if only the method did, else 404.
 *
 * <p>A new version of a server reuses the compiled rules it did not change and the indexes of
 * the hosts none of its changed rules serve: one route changed among 50,000 re-indexes the
 * routes of its rule's hosts, not all of them.
 */
public final class RouteTable {

    private record CacheKey(String host, String method, String path) {
    }

    /** One rule's routes, compiled for the place it has in the server's rules, and the pipelines they can send to. */
    private record CompiledRule(RuleSpec spec, Set<String> exactHosts, List<Route> routes, Set<String> backends, HostMatcher hosts,
                                IpAccess access, boolean writesDoubleSlash) {
        /** Whether the rule is indexed under its exact hosts; otherwise with the routes for any host. */
        boolean byExactHost() {
            return !exactHosts.isEmpty();
        }
    }

    private final RouterKind routerKind;
    private final List<CompiledRule> rules;
    /** Every pipeline a route can send a request to. */
    private final Set<String> backends;
    /** The routes of the rules that serve only exact hosts, by host. */
    private final Map<String, PathIndex> byExactHost;
    /** The routes of the rules that serve every host or a pattern of hosts. */
    private final PathIndex anyHost;
    /** The server's own ipFilter, applied before any rule; null when there is none. */
    private final IpAccess serverAccess;
    private final ClientAddresses clients;
    /**
     * The rules with an ipFilter of their own, by exact host, and those for any host or a pattern: a client one of the
     * host's refuses gets 403 where no route matches. Indexed so a miss (a scan of unknown paths) asks only its host's.
     */
    private final Map<String, List<CompiledRule>> guardedByHost;
    private final List<CompiledRule> guardedAnyHost;
    /** Outcomes that depend only on host, method and path; null when the server has no cacheSize. */
    private final Cache<CacheKey, RouteMatch> cache;
    /**
     * Runs of '/' in a request's path are taken as one (NGINX's merge_slashes), unless a path of this server is written
     * with one: Easegress's routers (chi's tree among them) match such a path literally, and it would be unreachable.
     */
    private final boolean mergesSlashes;

    private RouteTable(RouterKind routerKind, List<CompiledRule> rules, Map<String, PathIndex> byExactHost, PathIndex anyHost,
                       IpAccess serverAccess, ClientAddresses clients, Cache<CacheKey, RouteMatch> cache) {
        this.routerKind = routerKind;
        this.rules = rules;
        Set<String> all = new HashSet<>();
        rules.forEach(rule -> all.addAll(rule.backends()));
        this.backends = Set.copyOf(all);
        this.byExactHost = byExactHost;
        this.anyHost = anyHost;
        Map<String, List<CompiledRule>> byHost = new HashMap<>();
        List<CompiledRule> anyHostGuarded = new ArrayList<>();
        for (CompiledRule rule : rules) {
            if (rule.access() == null) {
                continue;
            }
            if (rule.byExactHost()) {
                rule.exactHosts().forEach(h -> byHost.computeIfAbsent(h, k -> new ArrayList<>()).add(rule));
            } else {
                anyHostGuarded.add(rule);
            }
        }
        byHost.replaceAll((h, list) -> List.copyOf(list));
        this.guardedByHost = Map.copyOf(byHost);
        this.guardedAnyHost = List.copyOf(anyHostGuarded);
        this.serverAccess = serverAccess;
        this.clients = clients;
        this.cache = cache;
        this.mergesSlashes = rules.stream().noneMatch(CompiledRule::writesDoubleSlash);
    }

    public static RouteTable of(HttpServerSpec server) {
        return of(server, null);
    }

    /**
     * The table of {@code server}, taking from {@code previous} (the table of an earlier version
     * of it, or null) the rules that are the same spec at the same index, and the indexes of
     * the hosts whose rules all stayed.
     */
    public static RouteTable of(HttpServerSpec server, RouteTable previous) {
        List<RuleSpec> specs = server.rules();
        List<CompiledRule> prior = previous != null && previous.routerKind == server.routerKind() ? previous.rules : List.of();
        List<CompiledRule> compiled = new ArrayList<>(specs.size());
        Set<String> changedHosts = new HashSet<>();
        boolean anyHostChanged = prior.isEmpty();
        for (int i = 0; i < Math.max(specs.size(), prior.size()); i++) {
            CompiledRule before = i < prior.size() ? prior.get(i) : null;
            CompiledRule now = i >= specs.size() ? null
                    : before != null && before.spec() == specs.get(i) ? before : compile(i, specs.get(i), server.routerKind());
            if (now != null) {
                compiled.add(now);
            }
            if (now != before) {
                // Both: the hosts the rule served before and those it serves now are re-indexed.
                boolean wasForAnyHost = markChanged(before, changedHosts);
                boolean isForAnyHost = markChanged(now, changedHosts);
                anyHostChanged |= wasForAnyHost || isForAnyHost;
            }
        }
        Map<String, PathIndex> byExactHost = new HashMap<>(prior.isEmpty() ? Map.of() : previous.byExactHost);
        Map<String, List<Route>> reindexed = new HashMap<>();
        List<Route> anyHostRoutes = new ArrayList<>();
        for (CompiledRule rule : compiled) {
            if (!rule.byExactHost()) {
                if (anyHostChanged) {
                    anyHostRoutes.addAll(rule.routes());
                }
                continue;
            }
            for (String host : rule.exactHosts()) {
                if (changedHosts.contains(host)) {
                    reindexed.computeIfAbsent(host, h -> new ArrayList<>()).addAll(rule.routes());
                }
            }
        }
        changedHosts.forEach(byExactHost::remove);
        reindexed.forEach((host, routes) -> byExactHost.put(host, PathIndex.of(routes)));
        int cacheSize = server.cacheSize();
        Cache<CacheKey, RouteMatch> cache = cacheSize <= 0 ? null
                : Caffeine.newBuilder().maximumSize(cacheSize).executor(Runnable::run).build();
        return new RouteTable(server.routerKind(), List.copyOf(compiled), Map.copyOf(byExactHost),
                anyHostChanged ? PathIndex.of(anyHostRoutes) : previous.anyHost,
                server.ipFilter().map(IpAccess::of).orElse(null), ClientAddresses.trusting(server.trustedProxies()), cache);
    }

    /** Adds the exact hosts of {@code rule} (or of no rule: null) to {@code hosts}; true when it is one for any host. */
    private static boolean markChanged(CompiledRule rule, Set<String> hosts) {
        if (rule == null) {
            return false;
        }
        hosts.addAll(rule.exactHosts());
        return !rule.byExactHost();
    }

    private static CompiledRule compile(int index, RuleSpec rule, RouterKind routerKind) {
        HostMatcher hosts = HostMatcher.of(rule);
        IpAccess ruleAccess = rule.ipFilter().map(IpAccess::of).orElse(null);
        List<PathSpec> paths = routerKind == RouterKind.RADIX_TREE ? radixOrder(rule.paths()) : rule.paths();
        List<Route> routes = new ArrayList<>(paths.size());
        Set<String> backends = new HashSet<>();
        for (PathSpec path : paths) {
            routes.add(new Route((long) index << 32 | routes.size(), hosts, ruleAccess, path));
            backends.add(path.backend());
            path.headers().forEach(h -> h.backend().ifPresent(backends::add));
            path.queries().forEach(q -> q.backend().ifPresent(backends::add));
        }
        boolean doubleSlash = rule.paths().stream().anyMatch(p -> Stream.of(p.path(), p.pathPrefix(), p.pathRegexp())
                .anyMatch(written -> written.filter(w -> w.contains("//")).isPresent()));
        return new CompiledRule(rule, hosts.exactHostsOnly(), List.copyOf(routes), Set.copyOf(backends), hosts, ruleAccess, doubleSlash);
    }

    /** A RadixTree rule's paths in the order its tree finds them: exact paths first, as written, then the patterns. */
    private static List<PathSpec> radixOrder(List<PathSpec> paths) {
        List<PathSpec> ordered = new ArrayList<>(paths.stream().filter(p -> p.pattern().isEmpty()).toList());
        List<PathSpec> patterned = paths.stream().filter(p -> p.pattern().isPresent()).toList();
        RadixOrder.of(patterned.stream().map(p -> p.pattern().get()).toList()).forEach(i -> ordered.add(patterned.get(i)));
        return ordered;
    }

    /** Every pipeline the routes can send a request to (path backends and those of header and query conditions). */
    public Set<String> backends() {
        return backends;
    }

    /** Routes a request from {@code peer} by its client address, Host header, path, method, headers and query. */
    public RouteMatch route(HttpRequest request, InetSocketAddress peer) {
        if (serverAccess != null && !serverAccess.allows(clients.clientOf(peer, request.headers()))) {
            return RouteMatch.FORBIDDEN;
        }
        String host = RequestTarget.host(request.headers().get(HttpHeaderNames.HOST));
        String path = RequestTarget.matchingPath(RequestTarget.path(request.uri()), mergesSlashes);
        if (cache == null) {
            return search(host, path, request, peer).result();
        }
        CacheKey key = new CacheKey(host, request.method().name(), path);
        RouteMatch cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Lookup lookup = search(host, path, request, peer);
        RouteMatch result = lookup.result();
        if (!lookup.requestDependent) {
            cache.put(key, result);
        }
        return result;
    }

    /** How many routes routing {@code request} tried beyond host and path: what lookup cost grows with. */
    int routesExamined(HttpRequest request, InetSocketAddress peer) {
        String host = RequestTarget.host(request.headers().get(HttpHeaderNames.HOST));
        return search(host, RequestTarget.matchingPath(RequestTarget.path(request.uri()), mergesSlashes), request, peer).examined;
    }

    private static void refusedByAGuardedRule(List<CompiledRule> rules, String host, Lookup lookup) {
        for (CompiledRule rule : rules) {
            if (lookup.ipDiffered) {
                return;
            }
            if (rule.hosts().matches(host)) {
                // The outcome now depends on the client, not only on host and path: not cached.
                lookup.requestDependent = true;
                lookup.ipDiffered = !rule.access().allows(lookup.client());
            }
        }
    }

    private Lookup search(String host, String path, HttpRequest request, InetSocketAddress peer) {
        Lookup lookup = new Lookup(host, path, request, peer, clients);
        PathIndex ownRoutes = byExactHost.get(host);
        if (ownRoutes != null) {
            ownRoutes.scan(lookup);
        }
        // Routes for any host come after or before the host's own in rule order: the lookup keeps the first.
        anyHost.scan(lookup);
        if (lookup.bestMatch == null && !lookup.ipDiffered) {
            // As Easegress's router: a rule for the host whose ipFilter refuses the client makes a miss 403, whatever the
            // path (it checks the rule's filter before its paths).
            refusedByAGuardedRule(guardedByHost.getOrDefault(host, List.of()), host, lookup);
            refusedByAGuardedRule(guardedAnyHost, host, lookup);
        }
        return lookup;
    }
}
