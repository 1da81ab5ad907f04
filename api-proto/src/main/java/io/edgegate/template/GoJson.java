package io.edgegate.template;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Go's {@code encoding/json} output for template values: map keys sorted, floats as Go writes
 * them, byte slices in base64, and {@code <}, {@code >}, {@code &} escaped unless asked not to
 * (sprig's {@code toRawJson}).
 */
public final class GoJson {

    private GoJson() {
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper READER = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * JSON as Go's json.Unmarshal reads it into interface{}: objects (keys in document order),
     * arrays, strings, booleans, null, and every number a float64.
     *
     * @throws java.io.IOException when it is not JSON
     */
    public static Object unmarshal(byte[] json) throws java.io.IOException {
        return plain(READER.readTree(json));
    }

    private static Object plain(com.fasterxml.jackson.databind.JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new java.util.LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new java.util.ArrayList<>();
            node.forEach(e -> list.add(plain(e)));
            return list;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }

    /** Go's json.Marshal of template data (HTML characters escaped, as Go's default encoder does). */
    public static String marshal(Object value) {
        return encode(value, true, "");
    }

    static String encode(Object value, boolean escapeHtml, String indent) {
        StringBuilder out = new StringBuilder();
        write(value, out, escapeHtml, indent, "");
        return out.toString();
    }

    private static void write(Object v, StringBuilder out, boolean escapeHtml, String indent, String prefix) {
        if (v == null || v == GoValues.NO_VALUE) {
            out.append("null");
        } else if (v instanceof String s) {
            string(s, out, escapeHtml);
        } else if (v instanceof Boolean || v instanceof Long) {
            out.append(v);
        } else if (v instanceof JsonNumber n) {
            out.append(n.text().isEmpty() ? "0" : n.text());
        } else if (v instanceof Double d) {
            out.append(number(d));
        } else if (v instanceof byte[] bytes) {
            out.append('"').append(Base64.getEncoder().encodeToString(bytes)).append('"');
        } else if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            String inner = prefix + indent;
            for (int i = 0; i < list.size(); i++) {
                out.append(i > 0 ? "," : "");
                newline(out, indent, inner);
                write(list.get(i), out, escapeHtml, indent, inner);
            }
            newline(out, indent, prefix);
            out.append(']');
        } else if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            String inner = prefix + indent;
            boolean first = true;
            for (Map.Entry<String, Object> e : GoValues.sorted(map).entrySet()) {
                out.append(first ? "" : ",");
                first = false;
                newline(out, indent, inner);
                string(e.getKey(), out, escapeHtml);
                out.append(indent.isEmpty() ? ":" : ": ");
                write(e.getValue(), out, escapeHtml, indent, inner);
            }
            newline(out, indent, prefix);
            out.append('}');
        } else {
            throw new TemplateFunctionException("json: unsupported type: " + GoValues.typeName(v));
        }
    }

    private static void newline(StringBuilder out, String indent, String prefix) {
        if (!indent.isEmpty()) {
            out.append('\n').append(prefix);
        }
    }

    /** A float as Go's encoder writes it: plain digits, exponent form only below 1e-6 or from 1e21. */
    private static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new TemplateFunctionException("json: unsupported value: " + GoFormat.shortestFloat(d));
        }
        if (d == 0) {
            return "0";
        }
        double abs = Math.abs(d);
        if (abs < 1e-6 || abs >= 1e21) {
            // Go writes e-07 as e-7.
            return GoFormat.shortestFloatExponent(d).replaceAll("e([-+])0(\\d)$", "e$1$2");
        }
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    /** A JSON string: the escapes Go's encoder writes ({@code \u003c} and friends when escaping HTML). */
    static void string(String s, StringBuilder out, boolean escapeHtml) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20 || escapeHtml && (c == '<' || c == '>' || c == '&')) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)))) {
                        if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))) {
                            out.append(c);
                        } else {
                            out.append("\\ufffd");
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
