package io.edgegate.dataplane.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Routes by path prefix, one node per character: finding every route whose prefix a path
 * starts with costs the length of the path, however many prefixes there are. Prefix routes are
 * matched by reaching them; RadixTree patterns are filed under their leading literal text and
 * still checked whole, so a path is tried only against patterns that could match it.
 */
final class PrefixTrie {

    private static final Route[] NONE = new Route[0];

    private final char[] keys;
    private final PrefixTrie[] children;
    /** The routes whose prefix ends at this node, in table order. */
    private final Route[] routes;
    /** Whether reaching a route means its path matched (prefixes), or it must still be checked (patterns). */
    private final boolean matchedByPrefix;

    private PrefixTrie(char[] keys, PrefixTrie[] children, Route[] routes, boolean matchedByPrefix) {
        this.keys = keys;
        this.children = children;
        this.routes = routes;
        this.matchedByPrefix = matchedByPrefix;
    }

    static PrefixTrie of(List<Route> prefixRoutes) {
        return of(prefixRoutes, route -> route.path.literal(), true);
    }

    /** RadixTree pattern routes, by the literal text their patterns start with. */
    static PrefixTrie ofPatterns(List<Route> patternRoutes) {
        return of(patternRoutes, route -> route.path.pattern().leadingLiteral(), false);
    }

    private static PrefixTrie of(List<Route> routes, java.util.function.Function<Route, String> key, boolean matchedByPrefix) {
        Builder root = new Builder(matchedByPrefix);
        for (Route route : routes) {
            Builder node = root;
            for (char c : key.apply(route).toCharArray()) {
                node = node.children.computeIfAbsent(c, k -> new Builder(matchedByPrefix));
            }
            node.routes.add(route);
        }
        return root.build();
    }

    /** Scans, for each prefix of {@code lookup.path} that routes end at, those routes. */
    void scan(Lookup lookup) {
        String path = lookup.path;
        PrefixTrie node = this;
        int i = 0;
        while (node != null) {
            if (node.routes.length > 0) {
                lookup.scan(node.routes, matchedByPrefix);
            }
            if (i == path.length()) {
                return;
            }
            node = node.child(path.charAt(i++));
        }
    }

    private PrefixTrie child(char c) {
        int at = Arrays.binarySearch(keys, c);
        return at >= 0 ? children[at] : null;
    }

    private static final class Builder {
        final TreeMap<Character, Builder> children = new TreeMap<>();
        final List<Route> routes = new ArrayList<>();
        final boolean matchedByPrefix;

        Builder(boolean matchedByPrefix) {
            this.matchedByPrefix = matchedByPrefix;
        }

        PrefixTrie build() {
            char[] keys = new char[children.size()];
            PrefixTrie[] built = new PrefixTrie[children.size()];
            int i = 0;
            for (var entry : children.entrySet()) {
                keys[i] = entry.getKey();
                built[i++] = entry.getValue().build();
            }
            Route[] sorted = routes.isEmpty() ? NONE
                    : routes.stream().sorted(Comparator.comparingLong(r -> r.order)).toArray(Route[]::new);
            return new PrefixTrie(keys, built, sorted, matchedByPrefix);
        }
    }
}
