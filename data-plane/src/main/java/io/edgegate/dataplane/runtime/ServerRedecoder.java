package io.edgegate.dataplane.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.TextChange;
import io.edgegate.spec.server.HttpServerSpec;
import io.edgegate.spec.server.PathSpec;
import io.edgegate.spec.server.RuleSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes a new version of a running HTTPServer by decoding only the text that changed: the
 * paths around the change when it lies within one rule's paths, else the rules around it. A
 * change of one route among 50,000 otherwise means parsing and decoding megabytes; here it
 * costs comparing the two texts and decoding one path. Anything else — a change outside the
 * rules, rules or paths added or removed, text that does not decode — is left to a decode of
 * the whole object, which also words the errors.
 */
final class ServerRedecoder {

    /** A server decoded this way, and the layout of its JSON. */
    record Redecoded(HttpServerSpec spec, ServerLayout layout) {
    }

    /** The objects of a comma-separated list, and where they lie. */
    private record ParsedObjects(List<ObjectNode> nodes, ElementSpans spans) {
    }

    /** What changed between two versions of a server's JSON: {@code [prefix, changedEnd)} of the old text. */
    private record Change(int prefix, int changedEnd, int shift) {
        /** Whether the elements {@code first} to {@code last} (of {@code spans}, offsets from {@code base}) hold all of the change. */
        boolean within(ElementSpans spans, int base, int first, int last) {
            return first <= last && base + spans.starts()[first] <= prefix && base + spans.ends()[last] >= changedEnd;
        }
    }

    private final JsonFactory factory;
    private final ObjectMapper mapper;

    ServerRedecoder() {
        // As the stored objects are parsed (DocumentParser): a duplicate key is an error, not the last one winning.
        this.mapper = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.factory = mapper.getFactory();
    }

    ServerLayout layout(String json) {
        return ServerLayout.of(factory, json);
    }

    /**
     * {@code json} decoded from {@code before} (decoded from {@code beforeJson}, laid out as
     * {@code layout}); empty when the change is not confined to the text of whole rules or paths.
     */
    Optional<Redecoded> redecode(String beforeJson, ServerLayout layout, HttpServerSpec before, String json) {
        ElementSpans rules = layout.rules();
        if (rules.count() == 0 || rules.count() != before.rules().size()) {
            return Optional.empty();
        }
        Change change = changeBetween(beforeJson, json);
        int first = rules.firstEndingAfter(change.prefix());
        int last = rules.lastStartingBefore(change.changedEnd());
        if (!change.within(rules, 0, first, last)) {
            return Optional.empty();
        }
        if (first == last) {
            Optional<Redecoded> paths = redecodePaths(layout, before, json, first, change);
            if (paths.isPresent()) {
                return paths;
            }
        }
        return redecodeRules(layout, before, json, first, last, change);
    }

    /** The server with paths of rule {@code rule}, which holds the whole change, decoded again. */
    private Optional<Redecoded> redecodePaths(ServerLayout layout, HttpServerSpec before, String json, int rule, Change change) {
        int base = layout.rules().starts()[rule];
        ElementSpans paths = layout.paths().get(rule);
        RuleSpec running = before.rules().get(rule);
        if (paths.count() == 0 || paths.count() != running.paths().size()) {
            return Optional.empty();
        }
        int first = paths.firstEndingAfter(change.prefix() - base);
        int last = paths.lastStartingBefore(change.changedEnd() - base);
        if (!change.within(paths, base, first, last)) {
            return Optional.empty();
        }
        int from = paths.starts()[first];
        Optional<ParsedObjects> replaced = objects(json.substring(base + from, base + paths.ends()[last] + change.shift()), from);
        if (replaced.isEmpty() || replaced.get().nodes().size() != last - first + 1) {
            return Optional.empty();
        }
        List<PathSpec> decoded = new ArrayList<>(running.paths());
        try {
            for (int i = first; i <= last; i++) {
                decoded.set(i, HttpServerSpec.decodePath(before.name(), rule, i, replaced.get().nodes().get(i - first), before.routerKind()));
            }
        } catch (SpecException e) {
            return Optional.empty();
        }
        List<RuleSpec> rules = new ArrayList<>(before.rules());
        rules.set(rule, running.withPaths(decoded));
        ElementSpans newPaths = paths.replaced(first, last, replaced.get().spans(), change.shift());
        return Optional.of(new Redecoded(before.withRules(rules), layout.withRuleChanged(rule, newPaths, change.shift())));
    }

    /** The server with rules {@code first} to {@code last}, which hold the whole change, decoded again. */
    private Optional<Redecoded> redecodeRules(ServerLayout layout, HttpServerSpec before, String json, int first, int last, Change change) {
        int from = layout.rules().starts()[first];
        String text = json.substring(from, layout.rules().ends()[last] + change.shift());
        Optional<ParsedObjects> replaced = objects(text, from);
        Optional<ServerLayout> middle = rulesLayout(text, from);
        int count = last - first + 1;
        if (replaced.isEmpty() || replaced.get().nodes().size() != count || middle.isEmpty() || middle.get().rules().count() != count) {
            return Optional.empty();
        }
        List<RuleSpec> decoded = new ArrayList<>(before.rules());
        try {
            for (int i = first; i <= last; i++) {
                decoded.set(i, HttpServerSpec.decodeRule(before.name(), i, replaced.get().nodes().get(i - first), before.routerKind()));
            }
        } catch (SpecException e) {
            return Optional.empty();
        }
        return Optional.of(new Redecoded(before.withRules(decoded), layout.withRulesReplaced(first, last, middle.get(), change.shift())));
    }

    private static Change changeBetween(String before, String after) {
        TextChange change = TextChange.between(before, after);
        return new Change(change.keepPrefix(), change.changedEnd(before), after.length() - before.length());
    }

    /**
     * {@code text} as a comma-separated list of JSON objects, with their spans plus {@code offset};
     * empty when it is anything else.
     */
    private Optional<ParsedObjects> objects(String text, int offset) {
        // The parser's offsets are one more than the text's: the '[' put before it.
        int moved = offset - 1;
        try (JsonParser parser = factory.createParser("[" + text + "]")) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return Optional.empty();
            }
            List<ObjectNode> nodes = new ArrayList<>();
            ElementSpans.Builder spans = new ElementSpans.Builder();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                int start = Math.toIntExact(parser.currentTokenLocation().getCharOffset()) + moved;
                JsonNode node = token == JsonToken.START_OBJECT ? mapper.readTree(parser) : null;
                if (!(node instanceof ObjectNode object)) {
                    return Optional.empty();
                }
                nodes.add(object);
                spans.add(start, Math.toIntExact(parser.currentLocation().getCharOffset()) + moved);
            }
            // Nothing may follow: "{...}], "x": [{...}" must not pass for a list of objects.
            return parser.nextToken() == null ? Optional.of(new ParsedObjects(nodes, spans.build())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The layout of the rules in {@code text}, a comma-separated list of them found at {@code offset}. */
    private Optional<ServerLayout> rulesLayout(String text, int offset) {
        try (JsonParser parser = factory.createParser("[" + text + "]")) {
            return parser.nextToken() == JsonToken.START_ARRAY ? ServerLayout.rulesOf(parser, offset - 1) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
