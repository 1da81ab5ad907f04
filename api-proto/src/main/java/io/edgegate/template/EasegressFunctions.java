package io.edgegate.template;

import static io.edgegate.template.TemplateFunction.of;
import static io.edgegate.template.TemplateFunction.variadic;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The functions Easegress adds to its builder templates (its {@code extrafuncs.go}), with its semantics. */
final class EasegressFunctions {

    private static final Logger log = LoggerFactory.getLogger("io.edgegate.template");

    private EasegressFunctions() {
    }

    static List<TemplateFunction> all() {
        return List.of(
                of("addf", 2, a -> toFloat(a.get(0)) + toFloat(a.get(1))),
                of("subf", 2, a -> toFloat(a.get(0)) - toFloat(a.get(1))),
                of("mulf", 2, a -> toFloat(a.get(0)) * toFloat(a.get(1))),
                of("divf", 2, a -> {
                    double divisor = toFloat(a.get(1));
                    if (divisor == 0) {
                        throw new TemplateFunctionException("divisor is zero");
                    }
                    return toFloat(a.get(0)) / divisor;
                }),
                of("log", 2, a -> {
                    String message = Args.string(a, 1);
                    switch (Args.string(a, 0).toLowerCase(Locale.ROOT)) {
                        case "debug" -> log.debug("{}", message);
                        case "info" -> log.info("{}", message);
                        case "warn" -> log.warn("{}", message);
                        case "error" -> log.error("{}", message);
                        default -> {
                        }
                    }
                    return "";
                }),
                variadic("mergeObject", 0, a -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    for (int i = 0; i < a.size(); i++) {
                        merge(out, Args.map(a, i));
                    }
                    return out;
                }),
                of("jsonEscape", 1, a -> {
                    StringBuilder out = new StringBuilder();
                    GoJson.string(Args.string(a, 0), out, true);
                    return out.substring(1, out.length() - 1);
                }),
                of("panic", 1, a -> {
                    throw new TemplateFunctionException(GoValues.print(Args.any(a, 0)));
                }),
                of("header", 2, a -> header(Args.any(a, 0), Args.string(a, 1))),
                of("username", 1, a -> {
                    if (Args.any(a, 0) instanceof BasicAuthCarrier request) {
                        return request.basicAuthUsername();
                    }
                    throw new TemplateFunctionException("interface conversion: " + GoValues.typeName(Args.any(a, 0))
                            + " is not BasicAuth: missing method BasicAuth");
                }),
                of("host", 1, a -> splitHostPort(Args.string(a, 0))[0]),
                of("port", 1, a -> splitHostPort(Args.string(a, 0))[1]),
                of("urlQueryUnescape", 1, a -> queryUnescape(Args.string(a, 0))),
                of("urlQueryEscape", 1, a -> GoBuiltins.queryEscape(Args.string(a, 0))));
    }

    /** Easegress's toFloat64: numbers, json.Number and numeric strings; anything else is an error. */
    private static double toFloat(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof String || v instanceof JsonNumber) {
            try {
                return Double.parseDouble(v.toString());
            } catch (NumberFormatException e) {
                throw new TemplateFunctionException("strconv.ParseFloat: parsing \"" + v + "\": invalid syntax");
            }
        }
        throw new TemplateFunctionException("cannot convert " + GoValues.print(v == GoValues.NO_VALUE ? null : v) + " to float64");
    }

    /** Deep merge, later objects winning, nested objects merged key by key (Easegress's mergeObject). */
    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from) {
        for (Map.Entry<String, Object> e : from.entrySet()) {
            if (into.get(e.getKey()) instanceof Map<?, ?> a && e.getValue() instanceof Map<?, ?> b) {
                Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) a);
                merge(merged, (Map<String, Object>) b);
                into.put(e.getKey(), merged);
            } else {
                into.put(e.getKey(), e.getValue());
            }
        }
    }

    private static String header(Object headers, String key) {
        if (headers instanceof TemplateObject object) {
            Object value = object.member("Get", List.of(key));
            return value == TemplateObject.NO_SUCH_MEMBER ? "" : Args.strval(value);
        }
        if (headers instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getKey().toString().equalsIgnoreCase(key)) {
                    Object value = e.getValue();
                    return value instanceof List<?> l ? l.isEmpty() ? "" : Args.strval(l.get(0)) : Args.strval(value);
                }
            }
            return "";
        }
        throw new TemplateFunctionException("wrong type for value; expected http.Header; got " + GoValues.typeName(headers));
    }

    /** Go's net.SplitHostPort; both empty when the text is not host:port. */
    static String[] splitHostPort(String hostPort) {
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0 || !hostPort.startsWith(":", close + 1)) {
                return new String[] {"", ""};
            }
            return new String[] {hostPort.substring(1, close), hostPort.substring(close + 2)};
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0 || hostPort.indexOf(':') != colon) {
            return new String[] {"", ""};
        }
        return new String[] {hostPort.substring(0, colon), hostPort.substring(colon + 1)};
    }

    private static String queryUnescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    String bad = s.substring(i, Math.min(s.length(), i + 3));
                    throw new TemplateFunctionException("invalid URL escape \"" + bad + "\"");
                }
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                // A character outside the BMP is two chars: encoded together, or each half would become '?'.
                int end = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)) ? i + 2 : i + 1;
                byte[] bytes = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i = end - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
