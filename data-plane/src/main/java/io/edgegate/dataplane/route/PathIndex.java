package io.edgegate.dataplane.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes that may serve one host, indexed by path: exact paths by hash, prefixes and
 * RadixTree patterns (by their leading literal) in tries, and only regexp and match-all paths
 * tried one by one.
 */
final class PathIndex {

    private final Map<String, Route[]> exact;
    private final PrefixTrie prefixes;
    private final PrefixTrie patterns;
    private final Route[] others;

    private PathIndex(Map<String, Route[]> exact, PrefixTrie prefixes, PrefixTrie patterns, Route[] others) {
        this.exact = exact;
        this.prefixes = prefixes;
        this.patterns = patterns;
        this.others = others;
    }

    /** {@code routes} in table order. */
    static PathIndex of(List<Route> routes) {
        // Sized once: an index of 50,000 exact paths otherwise rehashes a dozen times as it fills.
        Map<String, List<Route>> exact = new HashMap<>(capacityFor(routes.size()));
        List<Route> prefixes = new ArrayList<>();
        List<Route> patterns = new ArrayList<>();
        List<Route> others = new ArrayList<>();
        for (Route route : routes) {
            switch (route.path.kind()) {
                case EXACT -> exact.computeIfAbsent(route.path.literal(), p -> new ArrayList<>()).add(route);
                case PREFIX -> prefixes.add(route);
                case PATTERN -> patterns.add(route);
                case REGEXP, ANY -> others.add(route);
            }
        }
        Map<String, Route[]> exactIndex = new HashMap<>(capacityFor(exact.size()));
        exact.forEach((path, list) -> exactIndex.put(path, sorted(list)));
        // Never changed after this: read by every request, so no copy into another map type.
        return new PathIndex(Collections.unmodifiableMap(exactIndex), PrefixTrie.of(prefixes), PrefixTrie.ofPatterns(patterns),
                sorted(others));
    }

    private static int capacityFor(int entries) {
        return (int) (entries / 0.75f) + 1;
    }

    void scan(Lookup lookup) {
        Route[] samePath = exact.get(lookup.path);
        if (samePath != null) {
            lookup.scan(samePath, true);
        }
        prefixes.scan(lookup);
        patterns.scan(lookup);
        lookup.scan(others, false);
    }

    private static final Comparator<Route> TABLE_ORDER = Comparator.comparingLong(r -> r.order);

    private static Route[] sorted(List<Route> routes) {
        Route[] array = routes.toArray(new Route[0]);
        if (array.length > 1) {
            Arrays.sort(array, TABLE_ORDER);
        }
        return array;
    }
}
