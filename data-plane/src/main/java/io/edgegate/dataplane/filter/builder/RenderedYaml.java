package io.edgegate.dataplane.filter.builder;

import io.edgegate.dataplane.filter.builder.BuiltMessages.BuildException;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

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
            throw yamlError(e);
        }
    }

    private static BuildException yamlError(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return new BuildException("yaml: " + (newline < 0 ? message : message.substring(0, newline)));
    }

    /** The output as a mapping; empty output is an empty mapping. */
    static Map<String, Object> mapping(String rendered) {
        return fields(rendered).values();
    }

    /**
     * The output read once as a mapping: its fields as {@link #mapping} gives them, and the nodes they came from,
     * for a field read typed ({@link #integer}) without reading the output again.
     */
    record Fields(Map<String, Object> values, Node root, String rendered) {
    }

    @SuppressWarnings("unchecked")
    static Fields fields(String rendered) {
        Node root;
        Object value;
        try {
            root = BuilderYaml.composeText(rendered);
            value = BuilderYaml.constructText(root);
        } catch (RuntimeException e) {
            throw yamlError(e);
        }
        if (value == null) {
            return new Fields(Map.of(), root, rendered);
        }
        if (value instanceof Map<?, ?> map) {
            return new Fields((Map<String, Object>) BodyValues.plain(map, false), root, rendered);
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
     * An int field of the output, as yaml.v3 fills a Go int: a plain integer (decimal, 0b, 0o, 0x, 0-octal, with
     * underscores) or a plain float, truncated; a quoted scalar, a bool or anything else is refused.
     */
    static long integer(Fields fields, String key) {
        Object text = fields.values().get(key);
        if (text == null) {
            return 0;
        }
        Object value = typed(fields, key);
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double d && Double.isFinite(d) && d >= Long.MIN_VALUE && d <= Long.MAX_VALUE) {
            return (long) d.doubleValue();
        }
        String tag = value instanceof String ? "!!str" : value instanceof Boolean ? "!!bool" : value instanceof Number ? "!!int" : null;
        throw new BuildException(key + ": cannot unmarshal " + (tag == null ? kind(value) : tag + " `" + text + "`") + " into int");
    }

    /**
     * A field of the output as {@link BuilderYaml#typed()} reads it. Its scalar node is typed on its own; the output
     * is read again, typed, only when a tag ({@code !}) or a merge key may have changed what that node means.
     */
    private static Object typed(Fields fields, String key) {
        if (fields.rendered().indexOf('!') < 0 && fields.root() instanceof MappingNode mapping) {
            Node found = null;
            boolean merges = false;
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode name) {
                    merges |= Tag.MERGE.equals(name.getTag());
                    if (key.equals(name.getValue())) {
                        found = tuple.getValueNode();
                    }
                }
            }
            if (!merges) {
                try {
                    return found instanceof ScalarNode scalar ? BuilderYaml.constructTyped(scalar) : fields.values().get(key);
                } catch (RuntimeException e) {
                    throw yamlError(e);
                }
            }
        }
        return load(BuilderYaml.typed(), fields.rendered()) instanceof Map<?, ?> typed ? typed.get(key) : null;
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
