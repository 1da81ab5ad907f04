package io.edgegate.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's rules for the values a template handles: truth, how {@code fmt} prints them, how
 * {@code eq}/{@code lt} compare them, indexing and length. Values are null (Go's nil), the
 * {@link #NO_VALUE} of a missing map key, String, Long, Double, Boolean, {@link JsonNumber},
 * byte[], List, Map with String keys, and {@link TemplateObject}.
 */
public final class GoValues {

    /** The value of a missing map key reached by a field ({@code .a.missing}): Go's invalid reflect.Value. */
    public static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "<no value>";
        }
    };

    private GoValues() {
    }

    /** Go's truth: false, 0, nil and empty strings, lists and maps are false. */
    public static boolean truth(Object v) {
        if (v == null || v == NO_VALUE) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        if (v instanceof Double d) {
            return d != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof JsonNumber n) {
            return !n.text().isEmpty();
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (v instanceof byte[] b) {
            return b.length > 0;
        }
        return true;
    }

    /** The Go type named in error messages. */
    public static String typeName(Object v) {
        if (v == null || v == NO_VALUE) {
            return "<nil>";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Long) {
            return "int";
        }
        if (v instanceof Double) {
            return "float64";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof JsonNumber) {
            return "json.Number";
        }
        if (v instanceof byte[]) {
            return "[]uint8";
        }
        if (v instanceof List<?>) {
            return "[]interface {}";
        }
        if (v instanceof Map<?, ?>) {
            return "map[string]interface {}";
        }
        if (v instanceof TemplateObject o) {
            return o.typeName();
        }
        return v.getClass().getSimpleName();
    }

    /** {@code fmt.Sprint(v)} of one value. */
    public static String print(Object v) {
        StringBuilder out = new StringBuilder();
        print(v, out);
        return out.toString();
    }

    static void print(Object v, StringBuilder out) {
        if (v == NO_VALUE) {
            out.append("<no value>");
        } else if (v == null) {
            out.append("<nil>");
        } else if (v instanceof String s) {
            out.append(s);
        } else if (v instanceof Double d) {
            out.append(GoFormat.shortestFloat(d));
        } else if (v instanceof byte[] bytes) {
            out.append('[');
            for (int i = 0; i < bytes.length; i++) {
                out.append(i > 0 ? " " : "").append(bytes[i] & 0xFF);
            }
            out.append(']');
        } else if (v instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(' ');
                }
                print(list.get(i), out);
            }
            out.append(']');
        } else if (v instanceof Map<?, ?> map) {
            out.append("map[");
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted(map).entrySet()) {
                out.append(first ? "" : " ").append(e.getKey()).append(':');
                print(e.getValue(), out);
                first = false;
            }
            out.append(']');
        } else {
            out.append(v);
        }
    }

    /** {@code fmt.Sprint(args...)}: a space between two operands when neither is a string. */
    public static String sprint(List<Object> args) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            if (i > 0 && !(arg instanceof String) && !(args.get(i - 1) instanceof String)) {
                out.append(' ');
            }
            print(arg, out);
        }
        return out.toString();
    }

    /** {@code fmt.Sprintln(args...)}: spaces between all operands, and a newline. */
    public static String sprintln(List<Object> args) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            print(args.get(i), out);
        }
        return out.append('\n').toString();
    }

    /** A map's entries in key order, as Go prints and ranges over maps. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> sorted(Map<?, ?> map) {
        return new TreeMap<>((Map<String, Object>) map);
    }

    private enum Kind { INVALID, BOOL, INT, FLOAT, STRING, OTHER }

    private static Kind kind(Object v) {
        if (v == null || v == NO_VALUE) {
            return Kind.INVALID;
        }
        if (v instanceof Boolean) {
            return Kind.BOOL;
        }
        if (v instanceof Long) {
            return Kind.INT;
        }
        if (v instanceof Double) {
            return Kind.FLOAT;
        }
        if (v instanceof String || v instanceof JsonNumber) {
            return Kind.STRING;
        }
        return Kind.OTHER;
    }

    /** Go's {@code eq arg1 arg2...}: whether arg1 equals any of the others. */
    static boolean eq(Object first, List<Object> others) {
        if (others.isEmpty()) {
            throw new TemplateFunctionException("missing argument for comparison");
        }
        Kind k1 = kind(first);
        for (Object other : others) {
            Kind k2 = kind(other);
            boolean truth;
            if (k1 != k2) {
                if (k1 != Kind.INVALID && k2 != Kind.INVALID) {
                    throw new TemplateFunctionException("incompatible types for comparison");
                }
                truth = false;
            } else {
                truth = switch (k1) {
                    case INVALID -> true;
                    case BOOL, INT -> first.equals(other);
                    case FLOAT -> ((Double) first).doubleValue() == (Double) other;
                    case STRING -> first.toString().equals(other.toString());
                    case OTHER -> {
                        if (first instanceof List<?> || first instanceof Map<?, ?> || first instanceof byte[]) {
                            throw new TemplateFunctionException("non-comparable type " + print(first) + ": " + typeName(first));
                        }
                        yield first == other;
                    }
                };
            }
            if (truth) {
                return true;
            }
        }
        return false;
    }

    /** Go's {@code lt}: the basic ordered kinds only. */
    static boolean lt(Object a, Object b) {
        Kind k1 = kind(a);
        Kind k2 = kind(b);
        if (k1 != k2) {
            throw new TemplateFunctionException("incompatible types for comparison");
        }
        return switch (k1) {
            case INT -> (Long) a < (Long) b;
            case FLOAT -> (Double) a < (Double) b;
            case STRING -> a.toString().compareTo(b.toString()) < 0;
            default -> throw new TemplateFunctionException("invalid type for comparison");
        };
    }

    /** Go's {@code index item i j...}. */
    static Object index(Object item, List<Object> indexes) {
        Object current = item;
        for (Object index : indexes) {
            if (current == null || current == NO_VALUE) {
                throw new TemplateFunctionException("index of untyped nil");
            }
            if (current instanceof Map<?, ?> map) {
                if (!(index instanceof String key)) {
                    throw new TemplateFunctionException("value has type " + typeName(index) + "; should be string");
                }
                current = map.get(key);
            } else if (current instanceof List<?> || current instanceof String || current instanceof byte[]) {
                int length = length(current);
                int i = intIndex(index, length + 1);
                if (i >= length) {
                    throw new TemplateFunctionException("index out of range: " + i);
                }
                current = current instanceof List<?> list ? list.get(i)
                        : current instanceof byte[] bytes ? (Object) (long) (bytes[i] & 0xFF)
                        : (Object) (long) (((String) current).getBytes(java.nio.charset.StandardCharsets.UTF_8)[i] & 0xFF);
            } else {
                throw new TemplateFunctionException("can't index item of type " + typeName(current));
            }
        }
        return current;
    }

    /** Go's {@code slice item [low [high]]}. */
    static Object slice(Object item, List<Object> indexes) {
        if (indexes.size() > 2) {
            throw new TemplateFunctionException("too many slice indexes: " + indexes.size());
        }
        if (!(item instanceof List<?> || item instanceof String)) {
            throw new TemplateFunctionException("can't slice item of type " + typeName(item));
        }
        int length = item instanceof List<?> l ? l.size() : ((String) item).length();
        int low = indexes.isEmpty() ? 0 : intIndex(indexes.get(0), length + 1);
        int high = indexes.size() < 2 ? length : intIndex(indexes.get(1), length + 1);
        if (low > high) {
            throw new TemplateFunctionException("invalid slice index: " + low + " > " + high);
        }
        return item instanceof List<?> list ? new ArrayList<>(list.subList(low, high)) : ((String) item).substring(low, high);
    }

    private static int intIndex(Object index, int cap) {
        if (!(index instanceof Long l)) {
            throw new TemplateFunctionException("cannot index slice/array with type " + typeName(index));
        }
        if (l < 0 || l >= cap) {
            throw new TemplateFunctionException("index out of range: " + l);
        }
        return (int) (long) l;
    }

    /** Go's {@code len}: bytes of a string (UTF-8), elements of a list or map. */
    static int length(Object item) {
        if (item instanceof String s) {
            return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        if (item instanceof JsonNumber n) {
            return n.text().length();
        }
        if (item instanceof List<?> l) {
            return l.size();
        }
        if (item instanceof Map<?, ?> m) {
            return m.size();
        }
        if (item instanceof byte[] b) {
            return b.length;
        }
        throw new TemplateFunctionException("len of type " + typeName(item));
    }
}
