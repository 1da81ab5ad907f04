package io.edgegate.dataplane.route;

import io.edgegate.spec.server.PathPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The order in which Easegress's RadixTree router finds one rule's patterns. Its tree is searched
 * depth first, at each node: the paths ending there, then literal text, then
 * {@code {param:regexp}} nodes, then {@code {param}} nodes (those ending at '/' after the others),
 * then a final {@code *}. As a path matches a pattern in one way only, that search yields the
 * first pattern, in this fixed order, that matches the path and whose other conditions hold. So
 * routes are ranked by it once per config and tried like any others.
 */
final class RadixOrder {

    private static final class Node {
        final List<Integer> ending = new ArrayList<>();
        final Map<Character, Node> literals = new TreeMap<>();
        final List<Edge> regexps = new ArrayList<>();
        final List<Edge> parameters = new ArrayList<>();
        Node wildcard;
    }

    /** A parameter node: Easegress shares one between patterns with the same regexp (or none) and the same tail. */
    private record Edge(String regexp, char tail, Node node) {
    }

    private RadixOrder() {
    }

    /** The indexes of {@code patterns} (one rule's, in declaration order) in the order the tree finds them. */
    static List<Integer> of(List<PathPattern> patterns) {
        Node root = new Node();
        for (int i = 0; i < patterns.size(); i++) {
            insert(root, patterns.get(i), i);
        }
        List<Integer> order = new ArrayList<>(patterns.size());
        visit(root, order);
        return order;
    }

    private static void insert(Node root, PathPattern pattern, int index) {
        Node node = root;
        for (PathPattern.Token token : pattern.tokens()) {
            if (token instanceof PathPattern.Literal literal) {
                for (char c : literal.text().toCharArray()) {
                    node = node.literals.computeIfAbsent(c, k -> new Node());
                }
            } else if (token instanceof PathPattern.Parameter parameter) {
                String regexp = parameter.regexp() == null ? null : parameter.regexp().pattern();
                node = edge(regexp == null ? node.parameters : node.regexps, regexp, parameter.tail());
            } else {
                if (node.wildcard == null) {
                    node.wildcard = new Node();
                }
                node = node.wildcard;
            }
        }
        node.ending.add(index);
    }

    private static Node edge(List<Edge> edges, String regexp, char tail) {
        for (Edge edge : edges) {
            if (edge.tail() == tail && Objects.equals(edge.regexp(), regexp)) {
                return edge.node();
            }
        }
        Edge created = new Edge(regexp, tail, new Node());
        edges.add(created);
        return created.node();
    }

    private static void visit(Node node, List<Integer> order) {
        order.addAll(node.ending);
        node.literals.values().forEach(child -> visit(child, order));
        visitParameters(node.regexps, order);
        visitParameters(node.parameters, order);
        if (node.wildcard != null) {
            visit(node.wildcard, order);
        }
    }

    /** A parameter that runs to the next '/' is tried after those that stop at another character. */
    private static void visitParameters(List<Edge> edges, List<Integer> order) {
        edges.stream().filter(e -> e.tail() != '/').forEach(e -> visit(e.node(), order));
        edges.stream().filter(e -> e.tail() == '/').forEach(e -> visit(e.node(), order));
    }
}
