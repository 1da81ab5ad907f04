package io.edgegate.dataplane.filter.builder;

import io.edgegate.dataplane.filter.builder.BuiltMessages.BuildException;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * A template's output read as YAML into fields as Easegress's yaml.v3 decoder fills Go structs: a
 * string field takes any scalar's text, a number field an integer, and lists or objects only
 * where they belong; keys it does not know are ignored, as Go's decoder ignores them.
 */
public final class RenderedYaml {

    private RenderedYaml() {
    }

    /** The output as any YAML value (DataBuilder), scalars typed as yaml.v3 types them. */
    public static Object value(String rendered) {
        return load(BuilderYaml.typed(), rendered);
    }

    /** The output as text, as yaml.v3 decodes a scalar into a Go string (ResultBuilder): null is empty. */
    public static String text(String rendered) {
        Object value = load(BuilderYaml.text(), rendered);
        if (value == null || value instanceof String) {
            return value == null ? "" : (String) value;
        }
        throw new BuildException("cannot unmarshal " + kind(value) + " into string");
    }

    private static Object load(Yaml yaml, String rendered) {
        try {
            return yaml.load(rendered);
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            int newline = message.indexOf('\n');
            throw new BuildException("yaml: " + (newline < 0 ? message : message.substring(0, newline)));
        }
    }

    /** The output as a mapping; empty output is an empty mapping. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mapping(String rendered) {
        Object value = load(BuilderYaml.text(), rendered);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) BodyValues.plain(map, false);
        }
        throw new BuildException("cannot unmarshal " + kind(value) + " into an object");
    }

    static String string(Map<String, Object> info, String key) {
        Object value = info.get(key);
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        throw new BuildException(key + ": cannot unmarshal " + kind(value) + " into string");
    }

    /**
     * An int field of the output, as yaml.v3 fills a Go int: a plain integer (decimal, 0x, 0b, 0-octal, with
     * underscores) or a plain float, truncated; a quoted scalar, a bool or anything else is refused. {@code info}
     * is the output as read for its text fields; the field is read again, typed, only when it is there.
     */
    static long integer(String rendered, Map<String, Object> info, String key) {
        if (info.get(key) == null) {
            return 0;
        }
        Object value = load(BuilderYaml.typed(), rendered) instanceof Map<?, ?> typed ? typed.get(key) : null;
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double d && Double.isFinite(d) && d >= Long.MIN_VALUE && d <= Long.MAX_VALUE) {
            return (long) d.doubleValue();
        }
        String text = String.valueOf(info.get(key));
        String tag = value instanceof String ? "!!str" : value instanceof Boolean ? "!!bool" : value instanceof Number ? "!!int" : null;
        throw new BuildException(key + ": cannot unmarshal " + (tag == null ? kind(value) : tag + " `" + text + "`") + " into int");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> mappingOrEmpty(Map<String, Object> info, String key) {
        Object value = info.get(key);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new BuildException(key + ": cannot unmarshal " + kind(value) + " into an object");
    }

    static String kind(Object value) {
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof java.util.List<?>) {
            return "array";
        }
        if (value instanceof Map<?, ?>) {
            return "object";
        }
        return "null";
    }
}
