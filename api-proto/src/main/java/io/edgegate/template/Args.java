package io.edgegate.template;

import java.util.List;
import java.util.Map;

/**
 * Arguments of template functions converted as Go converts them to a function's parameter
 * types: a string parameter takes a string only, an int parameter an integer, a map or list
 * parameter takes nil as empty; sprig's loose conversions ({@code toInt64}, {@code strval})
 * are here too.
 */
final class Args {

    private Args() {
    }

    static String string(List<Object> args, int i) {
        Object v = args.get(i);
        if (v instanceof String s) {
            return s;
        }
        if (v == null || v == GoValues.NO_VALUE) {
            throw new TemplateFunctionException("invalid value; expected string");
        }
        throw new TemplateFunctionException("wrong type for value; expected string; got " + GoValues.typeName(v));
    }

    static long integer(List<Object> args, int i) {
        Object v = args.get(i);
        if (v instanceof Long l) {
            return l;
        }
        throw new TemplateFunctionException("wrong type for value; expected int; got " + GoValues.typeName(v));
    }

    static boolean bool(List<Object> args, int i) {
        Object v = args.get(i);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new TemplateFunctionException("wrong type for value; expected bool; got " + GoValues.typeName(v));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(List<Object> args, int i) {
        Object v = args.get(i);
        if (v == null || v == GoValues.NO_VALUE) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new TemplateFunctionException("wrong type for value; expected map[string]interface {}; got " + GoValues.typeName(v));
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object v, String function) {
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new TemplateFunctionException("Cannot find " + function + " on type " + GoValues.typeName(v));
    }

    /** Any value as an interface{} parameter receives it (a missing key's "no value" as nil). */
    static Object any(List<Object> args, int i) {
        Object v = args.get(i);
        return v == GoValues.NO_VALUE ? null : v;
    }

    /** sprig's strval: strings as they are, byte slices as text, anything else as fmt prints it. */
    static String strval(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof byte[] b) {
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
        return GoValues.print(v == GoValues.NO_VALUE ? null : v);
    }

    /** cast.ToInt64 as sprig uses it: numbers truncated, strings parsed (0 when they are not numbers), nil 0. */
    static long toInt64(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d) {
            return (long) (double) d;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String || v instanceof JsonNumber) {
            String s = v.toString().trim();
            try {
                return Long.decode(s);
            } catch (NumberFormatException e) {
                if (v instanceof JsonNumber) {
                    try {
                        return (long) Double.parseDouble(s);
                    } catch (NumberFormatException ignored) {
                        return 0;
                    }
                }
                return 0;
            }
        }
        return 0;
    }

    /** cast.ToFloat64: numbers, numeric strings (0 otherwise), booleans, nil 0. */
    static double toFloat64(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String || v instanceof JsonNumber) {
            try {
                return Double.parseDouble(v.toString().trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** sprig's empty: nil, false, 0 and empty strings, lists and maps. */
    static boolean empty(Object v) {
        return !GoValues.truth(v);
    }
}
