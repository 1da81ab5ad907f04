package io.edgegate.dataplane.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a stored HTTPServer's rules lie in its JSON, and each rule's paths within the rule's
 * text (offsets from the rule's first char, so they stay put when text before the rule
 * changes). With it a changed server is compared to the running one rule by rule and path by
 * path, as text.
 *
 * @param rules where each element of the top-level {@code rules} array lies
 * @param paths for each rule, where the elements of its {@code paths} lie; {@link ElementSpans#NONE}
 *              when it has none, or something other than objects
 */
record ServerLayout(ElementSpans rules, List<ElementSpans> paths) {

    static final ServerLayout NONE = new ServerLayout(ElementSpans.NONE, List.of());

    /** The layout of {@code json}; {@link #NONE} when it has no rules array of objects. */
    static ServerLayout of(JsonFactory factory, String json) {
        try (JsonParser parser = factory.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return NONE;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("rules") && value == JsonToken.START_ARRAY) {
                    return rulesOf(parser, 0).orElse(NONE);
                }
                parser.skipChildren();
            }
            return NONE;
        } catch (IOException e) {
            return NONE;
        }
    }

    /**
     * The layout of the rules in the array {@code parser} has just entered, with {@code moved}
     * added to the parser's offsets; empty when an element is not an object.
     */
    static Optional<ServerLayout> rulesOf(JsonParser parser, int moved) throws IOException {
        ElementSpans.Builder rules = new ElementSpans.Builder();
        List<ElementSpans> paths = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            int start = offset(parser.currentTokenLocation().getCharOffset());
            ElementSpans rulePaths = ElementSpans.NONE;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("paths") && value == JsonToken.START_ARRAY) {
                    rulePaths = objectsOf(parser, -start);
                } else {
                    parser.skipChildren();
                }
            }
            rules.add(start + moved, offset(parser.currentLocation().getCharOffset()) + moved);
            paths.add(rulePaths);
        }
        return Optional.of(new ServerLayout(rules.build(), List.copyOf(paths)));
    }

    /** The spans of the objects in the array {@code parser} has just entered; {@link ElementSpans#NONE} if one is not an object. */
    private static ElementSpans objectsOf(JsonParser parser, int moved) throws IOException {
        ElementSpans.Builder spans = new ElementSpans.Builder();
        boolean objects = true;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            objects &= token == JsonToken.START_OBJECT;
            int start = offset(parser.currentTokenLocation().getCharOffset());
            parser.skipChildren();
            spans.add(start + moved, offset(parser.currentLocation().getCharOffset()) + moved);
        }
        return objects ? spans.build() : ElementSpans.NONE;
    }

    private static int offset(long charOffset) {
        return Math.toIntExact(charOffset);
    }

    /** This layout with rule {@code rule}'s text grown by {@code shift} and its paths laid out as {@code rulePaths}. */
    ServerLayout withRuleChanged(int rule, ElementSpans rulePaths, int shift) {
        ElementSpans ruleSpan = new ElementSpans(new int[] {rules.starts()[rule]}, new int[] {rules.ends()[rule] + shift});
        List<ElementSpans> newPaths = new ArrayList<>(paths);
        newPaths.set(rule, rulePaths);
        return new ServerLayout(rules.replaced(rule, rule, ruleSpan, shift), List.copyOf(newPaths));
    }

    /** This layout with rules {@code from} to {@code to} replaced by those of {@code middle}, and the text after them moved by {@code shift}. */
    ServerLayout withRulesReplaced(int from, int to, ServerLayout middle, int shift) {
        List<ElementSpans> newPaths = new ArrayList<>(paths.subList(0, from));
        newPaths.addAll(middle.paths);
        newPaths.addAll(paths.subList(to + 1, paths.size()));
        return new ServerLayout(rules.replaced(from, to, middle.rules, shift), List.copyOf(newPaths));
    }
}
