package io.edgegate.spec.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A mapping being decoded. Every key a decoder reads becomes "known"; {@link #finish()}
 * reports the keys nobody read, with the closest known key as a suggestion. Keys that
 * Easegress has but EdgeGate does not implement are named as such instead of being
 * silently ignored.
 */
public final class SpecObject {

    private final ObjectNode node;
    private final NodePath path;
    private final DecodeContext context;
    private final boolean broken;
    /** The keys read, in order, with repeats: a list is faster than a set at the ten or so an object has. */
    private final List<String> known = new ArrayList<>();
    private final Map<String, String> unsupported = new LinkedHashMap<>();

    SpecObject(ObjectNode node, NodePath path, DecodeContext context) {
        this(node, path, context, false);
    }

    private SpecObject(ObjectNode node, NodePath path, DecodeContext context, boolean broken) {
        this.node = node;
        this.path = path;
        this.context = context;
        this.broken = broken;
    }

    /** Stands in for a value that was not a mapping; its reads report nothing more. */
    static SpecObject broken(NodePath path, DecodeContext context) {
        return new SpecObject(JsonNodeFactory.instance.objectNode(), path, context, true);
    }

    public String path() {
        return path.toString();
    }

    public DecodeContext context() {
        return context;
    }

    public SpecNode field(String key) {
        known.add(key);
        return new SpecNode(node.get(key), path.child(key), context);
    }

    public boolean has(String key) {
        return field(key).isSet();
    }

    public void error(String key, String message) {
        context.error(DecodeContext.child(path.toString(), key), message);
    }

    /** Legal but unwise: the object is applied and the operator is told. */
    public void warning(String key, String message) {
        context.warning(DecodeContext.child(path.toString(), key), message);
    }

    /** An error about this mapping as a whole. */
    public void error(String message) {
        context.error(path.toString(), message);
    }

    public String requiredString(String key) {
        SpecNode f = field(key);
        if (!f.isSet()) {
            missing(key, "a string");
            return "";
        }
        String s = f.asString();
        if (s.isBlank()) {
            f.error("must not be empty");
        }
        return s;
    }

    public Optional<String> optionalString(String key) {
        SpecNode f = field(key);
        if (!f.isSet()) {
            return Optional.empty();
        }
        String s = f.asString();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    public String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    public int requiredInt(String key, int min, int max) {
        SpecNode f = field(key);
        if (!f.isSet()) {
            missing(key, "an integer from " + min + " to " + max);
            return min;
        }
        return f.asInt(min, max);
    }

    public int integer(String key, int defaultValue, int min, int max) {
        SpecNode f = field(key);
        return f.isSet() ? f.asInt(min, max) : defaultValue;
    }

    public long longValue(String key, long defaultValue, long min, long max) {
        SpecNode f = field(key);
        return f.isSet() ? f.asLong(min, max) : defaultValue;
    }

    /** A decimal number from {@code min} to {@code max}, or {@code defaultValue} when the key is absent. */
    public double number(String key, double defaultValue, double min, double max) {
        SpecNode f = field(key);
        if (!f.isSet()) {
            return defaultValue;
        }
        String text = f.asNumberText();
        try {
            double value = Double.parseDouble(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        f.error("'" + text + "' is not a number from " + min + " to " + max);
        return defaultValue;
    }

    public boolean bool(String key, boolean defaultValue) {
        SpecNode f = field(key);
        return f.isSet() ? f.asBoolean() : defaultValue;
    }

    /** A value that is no duration is reported, and reads as the default: checks of the value then say nothing more. */
    public Duration duration(String key, Duration defaultValue) {
        SpecNode f = field(key);
        return f.isSet() ? f.asDuration().orElse(defaultValue) : defaultValue;
    }

    public Optional<SpecObject> object(String key) {
        SpecNode f = field(key);
        return f.isSet() ? Optional.of(f.asObject()) : Optional.empty();
    }

    public <T> List<T> list(String key, Function<SpecNode, T> element) {
        SpecNode f = field(key);
        return f.isSet() ? List.copyOf(f.asList(element)) : List.of();
    }

    public List<String> stringList(String key) {
        return list(key, SpecNode::asString);
    }

    public Map<String, String> stringMap(String key) {
        SpecNode f = field(key);
        if (!f.isSet()) {
            return Map.of();
        }
        SpecObject map = f.asObject();
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : map.keys()) {
            out.put(k, map.field(k).asString());
        }
        return Map.copyOf(out);
    }

    /** The keys present in this mapping, in document order. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Keys of the Easegress format that EdgeGate does not implement (yet); using one is an error, never a silent no-op. */
    public void unsupported(String reason, String... keys) {
        for (String key : keys) {
            unsupported.put(key, reason);
        }
    }

    /**
     * Reports keys present in the document that no decoder read. In {@link ValidationMode#WARN}
     * they become warnings and are removed, so the stored object holds only what is applied.
     */
    public void finish() {
        if (broken) {
            return;
        }
        for (String key : keys()) {
            if (known.contains(key) || (unsupported.containsKey(key) && isOff(node.get(key)))) {
                continue;
            }
            String keyPath = DecodeContext.child(path.toString(), key);
            String message = unsupported.containsKey(key)
                    ? "'" + key + "' is not supported by EdgeGate yet (" + unsupported.get(key) + ")"
                    : unknownKeyMessage(key);
            if (context.mode() == ValidationMode.WARN) {
                context.warning(keyPath, message + "; ignored");
                node.remove(key);
            } else {
                context.error(keyPath, message);
            }
        }
    }

    /** {@code https: false} or {@code ipFilter: {}} asks for nothing, so an unsupported key set so is harmless. */
    private static boolean isOff(JsonNode value) {
        return value.isNull() || (value.isBoolean() && !value.booleanValue())
                || (value.isContainerNode() && value.isEmpty()) || (value.isTextual() && value.textValue().isEmpty());
    }

    private String unknownKeyMessage(String key) {
        Set<String> known = new LinkedHashSet<>(this.known);
        Optional<String> suggestion = KeySuggestions.closest(key, known);
        return suggestion.map(s -> "unknown field '" + key + "' (did you mean '" + s + "'?)")
                .orElseGet(() -> "unknown field '" + key + "' (known fields: " + String.join(", ", known) + ")");
    }

    private void missing(String key, String expected) {
        if (!broken) {
            context.error(DecodeContext.child(path.toString(), key), "is required (expected: " + expected + ")");
        }
    }
}
