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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTPServer's rules, compiled once per config. Rules are tried in order and paths in
 * order within a rule (with routerKind RadixTree: exact paths, then patterns as
 * {@link RadixOrder} ranks them); the first path that matches host, path, method, headers and
 * query wins. Lookup goes straight to the routes of an exact host (or to those that serve any
 * host) and, within them, to exact paths by hash and prefixes through a trie, so its cost
 * does not grow with the number of rules on those common cases. When nothing matches the
 * answer is 403 if an IP filter refused the client, else 400 if header or query conditions
 * failed, 405 if only the method did, else 404.
 */
public final class RouteTable {

    private record CacheKey(String host, String method, String path) {
    }

    private final Map<String, PathIndex> byExactHost;
    private final PathIndex anyHost;
    /** The server's own ipFilter, applied before any rule; null when there is none. */
    private final IpAccess serverAccess;
    private final ClientAddresses clients;
    /** Outcomes that depend only on host, method and path; null when the server has no cacheSize. */
    private final Cache<CacheKey, RouteMatch> cache;

    private RouteTable(Map<String, PathIndex> byExactHost, PathIndex anyHost, IpAccess serverAccess,
                       ClientAddresses clients, Cache<CacheKey, RouteMatch> cache) {
        this.byExactHost = byExactHost;
        this.anyHost = anyHost;
        this.serverAccess = serverAccess;
        this.clients = clients;
        this.cache = cache;
    }

    public static RouteTable of(HttpServerSpec server) {
        List<RuleSpec> specs = server.rules();
        int cacheSize = server.cacheSize();
        Map<String, List<Route>> exactHostRoutes = new LinkedHashMap<>();
        List<Route> patternHostRoutes = new ArrayList<>();
        List<Route> all = new ArrayList<>();
        for (RuleSpec rule : specs) {
            HostMatcher hosts = HostMatcher.of(rule);
            IpAccess ruleAccess = rule.ipFilter().map(IpAccess::of).orElse(null);
            for (PathSpec path : server.routerKind() == RouterKind.RADIX_TREE ? radixOrder(rule.paths()) : rule.paths()) {
                Route route = new Route(all.size(), hosts, ruleAccess, path);
                all.add(route);
                if (hosts.exactHostsOnly().isEmpty()) {
                    patternHostRoutes.add(route);
                } else {
                    hosts.exactHostsOnly().forEach(h -> exactHostRoutes.computeIfAbsent(h, k -> new ArrayList<>()).add(route));
                }
            }
        }
        Map<String, PathIndex> byExactHost = new HashMap<>();
        exactHostRoutes.forEach((host, routes) -> {
            List<Route> merged = new ArrayList<>(routes);
            merged.addAll(patternHostRoutes);
            byExactHost.put(host, PathIndex.of(merged));
        });
        Cache<CacheKey, RouteMatch> cache = cacheSize <= 0 ? null
                : Caffeine.newBuilder().maximumSize(cacheSize).executor(Runnable::run).build();
        return new RouteTable(Map.copyOf(byExactHost), PathIndex.of(patternHostRoutes),
                server.ipFilter().map(IpAccess::of).orElse(null), ClientAddresses.trusting(server.trustedProxies()), cache);
    }

    /** A RadixTree rule's paths in the order its tree finds them: exact paths first, as written, then the patterns. */
    private static List<PathSpec> radixOrder(List<PathSpec> paths) {
        List<PathSpec> ordered = new ArrayList<>(paths.stream().filter(p -> p.pattern().isEmpty()).toList());
        List<PathSpec> patterned = paths.stream().filter(p -> p.pattern().isPresent()).toList();
        RadixOrder.of(patterned.stream().map(p -> p.pattern().get()).toList()).forEach(i -> ordered.add(patterned.get(i)));
        return ordered;
    }

    /** Routes a request from {@code peer} by its client address, Host header, path, method, headers and query. */
    public RouteMatch route(HttpRequest request, InetSocketAddress peer) {
        if (serverAccess != null && !serverAccess.allows(clients.clientOf(peer, request.headers()))) {
            return RouteMatch.FORBIDDEN;
        }
        String host = RequestTarget.host(request.headers().get(HttpHeaderNames.HOST));
        String path = RequestTarget.path(request.uri());
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
        return search(host, RequestTarget.path(request.uri()), request, peer).examined;
    }

    private Lookup search(String host, String path, HttpRequest request, InetSocketAddress peer) {
        Lookup lookup = new Lookup(host, path, request, peer, clients);
        byExactHost.getOrDefault(host, anyHost).scan(lookup);
        return lookup;
    }
}
