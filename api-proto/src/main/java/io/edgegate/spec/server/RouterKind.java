package io.edgegate.spec.server;

import io.edgegate.spec.codec.SpecObject;

/**
 * Easegress's {@code routerKind}. {@code Ordered} (the default) tries rules and their paths in
 * order, and a path is exact, a prefix or a regexp. {@code RadixTree} also goes rule by rule,
 * but within a rule an exact path wins, then the most specific pattern: at each point where
 * patterns differ, literal text before a {@code {param:regexp}}, before a {@code {param}},
 * before a final {@code *}.
 */
public enum RouterKind {
    ORDERED, RADIX_TREE;

    static RouterKind decode(SpecObject o) {
        String given = o.string("routerKind", "Ordered");
        return switch (given) {
            case "", "Ordered" -> ORDERED;
            case "RadixTree" -> RADIX_TREE;
            default -> {
                o.error("routerKind", "'" + given + "' is not a router kind (expected Ordered or RadixTree)");
                yield ORDERED;
            }
        };
    }
}
