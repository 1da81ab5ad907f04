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

    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("^[-+]?[0-9][0-9_]*$");

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

    static long integer(Map<String, Object> info, String key) {
        Object value = info.get(key);
        if (value == null) {
            return 0;
        }
        if (value instanceof String text && INTEGER.matcher(text).matches()) {
            try {
                return Long.parseLong(text.replace("_", ""));
            } catch (NumberFormatException tooLarge) {
                throw new BuildException(key + ": cannot unmarshal " + text + " into int");
            }
        }
        throw new BuildException(key + ": cannot unmarshal " + (value instanceof String text ? "!!str `" + text + "`" : kind(value))
                + " into int");
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
