package io.edgegate.spec.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A value inside a document, with its path. Conversions record a problem naming the path and
 * what was expected, and return a harmless placeholder so decoding can go on and report
 * every problem of the document at once.
 */
public final class SpecNode {

    private final JsonNode value;
    private final NodePath path;
    private final DecodeContext context;

    SpecNode(JsonNode value, NodePath path, DecodeContext context) {
        this.value = value == null ? MissingNode.getInstance() : value;
        this.path = path;
        this.context = context;
    }

    public static SpecNode root(ObjectNode document, DecodeContext context) {
        return new SpecNode(document, NodePath.ROOT, context);
    }

    public String path() {
        return path.toString();
    }

    public DecodeContext context() {
        return context;
    }

    /**
     * Decoded by {@code decoder}, or taken from the decode memo when the last decode of this object
     * met the same JSON in the same {@code scope} and found nothing wrong with it. {@code type} is
     * the exact class the decoder returns.
     */
    public <T> T memoized(String scope, Class<T> type, Supplier<T> decoder) {
        return context.memo().decode(scope, value, type, context, decoder);
    }

    /** Present and not {@code null} (a YAML {@code null} means "not set"). */
    public boolean isSet() {
        return !value.isMissingNode() && !value.isNull();
    }

    public void error(String message) {
        context.error(path.toString(), message);
    }

    /**
     * The value as plain Java data for templates: maps (keys in document order), lists, strings,
     * booleans, null, and numbers as Double, since Easegress reads such data through JSON into
     * Go's float64.
     */
    public Object asPlainValue() {
        return plain(value);
    }

    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return Collections.unmodifiableMap(map);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(element -> list.add(plain(element)));
            return Collections.unmodifiableList(list);
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.asText();
    }

    public SpecObject asObject() {
        if (value instanceof ObjectNode object) {
            return new SpecObject(object, path, context);
        }
        error("expected a mapping of keys to values, got " + describe(value));
        return SpecObject.broken(path, context);
    }

    /**
     * Scalars are accepted as text (YAML users write {@code value: 123} unquoted); an empty value
     * ({@code X-Debug:} in a map, {@code -} in a list) is the empty string, as Go reads it into a string.
     */
    public String asString() {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value instanceof WrittenNumber written) {
            // 01234, 1.10, 0x1F: the text, as Easegress's YAML library fills a string (not 668, 1.1, 31).
            return written.readAsText();
        }
        if (value.isNull()) {
            return "";
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        error("expected a string, got " + describe(value));
        return "";
    }

    /**
     * A decimal field's text: a number as its value reads ({@code 1_000} is 1000, {@code .5} 0.5, and it stays a
     * number in the stored object), any other scalar as {@link #asString} (a quoted "0.5" is read too).
     */
    public String asNumberText() {
        return value.isNumber() ? value.asText() : asString();
    }

    public long asLong(long min, long max) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            error("expected an integer" + range(min, max) + ", got " + describe(value));
            return min;
        }
        long n = value.longValue();
        if (n < min || n > max) {
            error(n + " is out of range (expected: an integer" + range(min, max) + ")");
            return min;
        }
        return n;
    }

    public int asInt(int min, int max) {
        return (int) asLong(min, max);
    }

    public boolean asBoolean() {
        if (!value.isBoolean()) {
            error("expected true or false, got " + describe(value));
            return false;
        }
        return value.booleanValue();
    }

    /** The duration, or empty when it is none (the error is reported). */
    public Optional<Duration> asDuration() {
        if (!value.isTextual()) {
            error("expected a duration such as 500ms, 60s or 1m30s, got " + describe(value));
            return Optional.empty();
        }
        try {
            return Optional.of(GoDuration.parse(value.textValue()));
        } catch (IllegalArgumentException | ArithmeticException e) {
            error(e.getMessage() == null ? "not a duration" : e.getMessage());
            return Optional.empty();
        }
    }

    public <T> List<T> asList(Function<SpecNode, T> element) {
        if (!value.isArray()) {
            error("expected a list, got " + describe(value));
            return List.of();
        }
        List<T> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            T decoded = element.apply(new SpecNode(value.get(i), path.element(i), context));
            if (decoded != null) {
                out.add(decoded);
            }
        }
        return out;
    }

    static String describe(JsonNode node) {
        if (node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            return "'" + node.textValue() + "'";
        }
        return node.toString();
    }

    private static String range(long min, long max) {
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
            return "";
        }
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
            return " >= " + min;
        }
        return " from " + min + " to " + max;
    }
}
