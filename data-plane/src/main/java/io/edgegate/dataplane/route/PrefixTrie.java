package io.edgegate.dataplane.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Routes by path prefix, one node per character: finding every route whose prefix a path
 * starts with costs the length of the path, however many prefixes there are.
 */
final class PrefixTrie {

    private static final Route[] NONE = new Route[0];

    private final char[] keys;
    private final PrefixTrie[] children;
    /** The routes whose prefix ends at this node, in table order. */
    private final Route[] routes;

    private PrefixTrie(char[] keys, PrefixTrie[] children, Route[] routes) {
        this.keys = keys;
        this.children = children;
        this.routes = routes;
    }

    static PrefixTrie of(List<Route> prefixRoutes) {
        Builder root = new Builder();
        for (Route route : prefixRoutes) {
            Builder node = root;
            for (char c : route.path.literal().toCharArray()) {
                node = node.children.computeIfAbsent(c, k -> new Builder());
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
                lookup.scan(node.routes, true);
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

        PrefixTrie build() {
            char[] keys = new char[children.size()];
            PrefixTrie[] built = new PrefixTrie[children.size()];
            int i = 0;
            for (var entry : children.entrySet()) {
                keys[i] = entry.getKey();
                built[i++] = entry.getValue().build();
            }
            Route[] sorted = routes.isEmpty() ? NONE
                    : routes.stream().sorted(Comparator.comparingInt(r -> r.order)).toArray(Route[]::new);
            return new PrefixTrie(keys, built, sorted);
        }
    }
}
