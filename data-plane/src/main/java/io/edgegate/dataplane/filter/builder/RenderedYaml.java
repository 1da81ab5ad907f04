package io.edgegate.dataplane.filter.builder;

import io.edgegate.dataplane.filter.builder.BuiltMessages.BuildException;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A template's output read as YAML, with the strict field types Easegress gets by going
 * through JSON into Go structs: a string field takes a string, a number field an integer;
 * keys it does not know are ignored, as Go's decoder ignores them.
 */
public final class RenderedYaml {

    private RenderedYaml() {
    }

    /** The output as any YAML value (DataBuilder, ResultBuilder). */
    public static Object value(String rendered) {
        try {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(rendered);
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            int newline = message.indexOf('\n');
            throw new BuildException("yaml: " + (newline < 0 ? message : message.substring(0, newline)));
        }
    }

    /** The output as a mapping; empty output is an empty mapping. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mapping(String rendered) {
        Object value = value(rendered);
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
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Double d && d == Math.rint(d)) {
            return (long) (double) d;
        }
        throw new BuildException(key + ": cannot unmarshal " + kind(value) + " into int");
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
