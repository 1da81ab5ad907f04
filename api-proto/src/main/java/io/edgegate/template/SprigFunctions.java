package io.edgegate.template;

import static io.edgegate.template.TemplateFunction.of;
import static io.edgegate.template.TemplateFunction.variadic;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.edgegate.spec.server.RewriteTemplate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The sprig functions (Easegress links slim-sprig) that templates in its documentation and in
 * common use call: strings, defaults, lists, dicts, integer math, encodings and JSON. Argument
 * order is sprig's: the value being worked on comes last, so it can be piped in.
 */
final class SprigFunctions {

    private SprigFunctions() {
    }

    static List<TemplateFunction> all() {
        List<TemplateFunction> f = new ArrayList<>();
        // Strings.
        f.add(of("upper", 1, a -> Args.string(a, 0).toUpperCase(Locale.ROOT)));
        f.add(of("lower", 1, a -> Args.string(a, 0).toLowerCase(Locale.ROOT)));
        f.add(of("title", 1, a -> title(Args.string(a, 0))));
        f.add(of("trim", 1, a -> Args.string(a, 0).strip()));
        f.add(of("trimAll", 2, a -> trimAll(Args.string(a, 1), Args.string(a, 0))));
        f.add(of("trimPrefix", 2, a -> {
            String s = Args.string(a, 1);
            String prefix = Args.string(a, 0);
            return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
        }));
        f.add(of("trimSuffix", 2, a -> {
            String s = Args.string(a, 1);
            String suffix = Args.string(a, 0);
            return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
        }));
        f.add(of("contains", 2, a -> Args.string(a, 1).contains(Args.string(a, 0))));
        f.add(of("hasPrefix", 2, a -> Args.string(a, 1).startsWith(Args.string(a, 0))));
        f.add(of("hasSuffix", 2, a -> Args.string(a, 1).endsWith(Args.string(a, 0))));
        f.add(of("replace", 3, a -> Args.string(a, 2).replace(Args.string(a, 0), Args.string(a, 1))));
        f.add(of("repeat", 2, a -> {
            long count = Args.integer(a, 0);
            String s = Args.string(a, 1);
            if (count < 0 || count * s.length() > 1_000_000) {
                throw new TemplateFunctionException("repeat count " + count + " out of range");
            }
            return s.repeat((int) count);
        }));
        f.add(of("substr", 3, a -> substr(Args.integer(a, 0), Args.integer(a, 1), Args.string(a, 2))));
        f.add(of("trunc", 2, a -> {
            long c = Args.integer(a, 0);
            String s = Args.string(a, 1);
            if (c < 0 && s.length() + c > 0) {
                return s.substring((int) (s.length() + c));
            }
            return c >= 0 && s.length() > c ? s.substring(0, (int) c) : s;
        }));
        f.add(of("nospace", 1, a -> Args.string(a, 0).replaceAll("\\s", "")));
        f.add(variadic("quote", 0, a -> quoteEach(a, true)));
        f.add(variadic("squote", 0, a -> quoteEach(a, false)));
        f.add(variadic("cat", 0, a -> String.join(" ", a.stream().filter(v -> v != null && v != GoValues.NO_VALUE)
                .map(Args::strval).toList())));
        f.add(of("indent", 2, a -> indent(Args.integer(a, 0), Args.string(a, 1))));
        f.add(of("nindent", 2, a -> "\n" + indent(Args.integer(a, 0), Args.string(a, 1))));
        f.add(of("split", 2, a -> {
            Map<String, Object> parts = new LinkedHashMap<>();
            List<String> pieces = split(Args.string(a, 0), Args.string(a, 1));
            for (int i = 0; i < pieces.size(); i++) {
                parts.put("_" + i, pieces.get(i));
            }
            return parts;
        }));
        f.add(of("splitList", 2, a -> new ArrayList<Object>(split(Args.string(a, 0), Args.string(a, 1)))));
        f.add(of("join", 2, a -> join(Args.string(a, 0), Args.any(a, 1))));
        f.add(of("toString", 1, a -> Args.strval(a.get(0))));
        f.add(of("toStrings", 1, a -> toList(Args.any(a, 0)).stream().map(v -> (Object) Args.strval(v)).toList()));
        // Conversions and integer math, as sprig does them (int64, strings parsed, junk is 0).
        f.add(of("atoi", 1, a -> {
            try {
                return Long.parseLong(Args.string(a, 0));
            } catch (NumberFormatException e) {
                return 0L;
            }
        }));
        f.add(of("int", 1, a -> Args.toInt64(Args.any(a, 0))));
        f.add(of("int64", 1, a -> Args.toInt64(Args.any(a, 0))));
        f.add(of("float64", 1, a -> Args.toFloat64(Args.any(a, 0))));
        f.add(variadic("add", 0, a -> a.stream().mapToLong(Args::toInt64).sum()));
        f.add(of("add1", 1, a -> Args.toInt64(a.get(0)) + 1));
        f.add(of("sub", 2, a -> Args.toInt64(a.get(0)) - Args.toInt64(a.get(1))));
        f.add(variadic("mul", 1, a -> a.stream().mapToLong(Args::toInt64).reduce(1, (x, y) -> x * y)));
        f.add(of("div", 2, a -> {
            long divisor = Args.toInt64(a.get(1));
            if (divisor == 0) {
                throw new TemplateFunctionException("runtime error: integer divide by zero");
            }
            return Args.toInt64(a.get(0)) / divisor;
        }));
        f.add(of("mod", 2, a -> {
            long divisor = Args.toInt64(a.get(1));
            if (divisor == 0) {
                throw new TemplateFunctionException("runtime error: integer divide by zero");
            }
            return Args.toInt64(a.get(0)) % divisor;
        }));
        f.add(variadic("max", 1, a -> a.stream().mapToLong(Args::toInt64).max().orElse(0)));
        f.add(variadic("min", 1, a -> a.stream().mapToLong(Args::toInt64).min().orElse(0)));
        // Defaults.
        f.add(variadic("default", 1, a -> a.size() < 2 || Args.empty(a.get(1)) ? Args.any(a, 0) : Args.any(a, 1)));
        f.add(of("empty", 1, a -> Args.empty(a.get(0))));
        f.add(variadic("coalesce", 0, a -> a.stream().filter(v -> !Args.empty(v)).findFirst().orElse(null)));
        f.add(of("ternary", 3, a -> Args.bool(a, 2) ? Args.any(a, 0) : Args.any(a, 1)));
        f.add(of("toJson", 1, a -> jsonOrEmpty(Args.any(a, 0), true, "")));
        f.add(of("toRawJson", 1, a -> jsonOrEmpty(Args.any(a, 0), false, "")));
        f.add(of("toPrettyJson", 1, a -> jsonOrEmpty(Args.any(a, 0), true, "  ")));
        // Lists.
        f.add(variadic("list", 0, a -> new ArrayList<>(a.stream().map(v -> v == GoValues.NO_VALUE ? null : v).toList())));
        f.add(of("first", 1, a -> {
            List<Object> l = Args.list(Args.any(a, 0), "first");
            return l.isEmpty() ? null : l.get(0);
        }));
        f.add(of("last", 1, a -> {
            List<Object> l = Args.list(Args.any(a, 0), "last");
            return l.isEmpty() ? null : l.get(l.size() - 1);
        }));
        f.add(of("rest", 1, a -> {
            List<Object> l = Args.list(Args.any(a, 0), "rest");
            return l.isEmpty() ? null : new ArrayList<>(l.subList(1, l.size()));
        }));
        f.add(of("initial", 1, a -> {
            List<Object> l = Args.list(Args.any(a, 0), "initial");
            return l.isEmpty() ? null : new ArrayList<>(l.subList(0, l.size() - 1));
        }));
        f.add(of("append", 2, a -> appended(Args.list(Args.any(a, 0), "append"), Args.any(a, 1))));
        f.add(of("push", 2, a -> appended(Args.list(Args.any(a, 0), "push"), Args.any(a, 1))));
        f.add(of("prepend", 2, a -> {
            List<Object> out = new ArrayList<>();
            out.add(Args.any(a, 1));
            out.addAll(Args.list(Args.any(a, 0), "prepend"));
            return out;
        }));
        f.add(variadic("concat", 0, a -> {
            List<Object> out = new ArrayList<>();
            a.forEach(l -> out.addAll(Args.list(l == GoValues.NO_VALUE ? null : l, "concat")));
            return out;
        }));
        f.add(of("has", 2, a -> toList(Args.any(a, 1)).stream().anyMatch(v -> same(v, Args.any(a, 0)))));
        f.add(of("uniq", 1, a -> {
            List<Object> out = new ArrayList<>();
            for (Object v : Args.list(Args.any(a, 0), "uniq")) {
                if (out.stream().noneMatch(o -> same(o, v))) {
                    out.add(v);
                }
            }
            return out;
        }));
        f.add(of("reverse", 1, a -> {
            List<Object> out = new ArrayList<>(Args.list(Args.any(a, 0), "reverse"));
            java.util.Collections.reverse(out);
            return out;
        }));
        f.add(of("compact", 1, a -> new ArrayList<>(Args.list(Args.any(a, 0), "compact").stream().filter(v -> !Args.empty(v)).toList())));
        f.add(variadic("without", 1, a -> new ArrayList<>(Args.list(Args.any(a, 0), "without").stream()
                .filter(v -> a.subList(1, a.size()).stream().noneMatch(o -> same(o, v))).toList())));
        // Dicts.
        f.add(variadic("dict", 0, a -> {
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < a.size(); i += 2) {
                out.put(Args.strval(a.get(i)), i + 1 < a.size() ? Args.any(a, i + 1) : "");
            }
            return out;
        }));
        f.add(of("get", 2, a -> {
            Map<String, Object> m = Args.map(a, 0);
            String key = Args.string(a, 1);
            return m.containsKey(key) ? m.get(key) : "";
        }));
        f.add(of("set", 3, a -> {
            Map<String, Object> m = Args.map(a, 0);
            m.put(Args.string(a, 1), Args.any(a, 2));
            return m;
        }));
        f.add(of("unset", 2, a -> {
            Map<String, Object> m = Args.map(a, 0);
            m.remove(Args.string(a, 1));
            return m;
        }));
        f.add(of("hasKey", 2, a -> Args.map(a, 0).containsKey(Args.string(a, 1))));
        f.add(variadic("keys", 0, a -> {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                out.addAll(Args.map(a, i).keySet());
            }
            return out;
        }));
        f.add(of("values", 1, a -> new ArrayList<>(Args.map(a, 0).values())));
        f.add(variadic("pluck", 1, a -> {
            String key = Args.string(a, 0);
            List<Object> out = new ArrayList<>();
            for (int i = 1; i < a.size(); i++) {
                Map<String, Object> m = Args.map(a, i);
                if (m.containsKey(key)) {
                    out.add(m.get(key));
                }
            }
            return out;
        }));
        // Encodings and hashes.
        f.add(of("b64enc", 1, a -> Base64.getEncoder().encodeToString(Args.strval(a.get(0)).getBytes(StandardCharsets.UTF_8))));
        f.add(of("b64dec", 1, a -> {
            try {
                return new String(Base64.getDecoder().decode(Args.string(a, 0)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }));
        f.add(of("sha256sum", 1, a -> sha256(Args.string(a, 0))));
        f.add(of("uuidv4", 0, a -> uuidV4()));
        // Regular expressions in Go's syntax (RE2), replacements expanded as Go's Expand does.
        f.add(of("regexMatch", 2, a -> regex(Args.string(a, 0)).matcher(Args.string(a, 1)).find()));
        f.add(of("regexFind", 2, a -> {
            var m = regex(Args.string(a, 0)).matcher(Args.string(a, 1));
            return m.find() ? m.group() : "";
        }));
        f.add(of("regexReplaceAll", 3, a -> RewriteTemplate.parse(Args.string(a, 2))
                .replaceAll(regex(Args.string(a, 0)), Args.string(a, 1))));
        f.add(of("typeOf", 1, a -> GoValues.typeName(Args.any(a, 0))));
        f.add(of("kindIs", 2, a -> kind(Args.any(a, 1)).equals(Args.string(a, 0))));
        f.add(of("kindOf", 1, a -> kind(Args.any(a, 0))));
        return f;
    }

    /** A random (version 4) UUID from ThreadLocalRandom: templates run on event loops, where SecureRandom may block. */
    private static String uuidV4() {
        var random = java.util.concurrent.ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static String kind(Object v) {
        String type = GoValues.typeName(v);
        return switch (type) {
            case "[]interface {}" -> "slice";
            case "map[string]interface {}" -> "map";
            case "json.Number" -> "string";
            case "<nil>" -> "invalid";
            default -> v instanceof TemplateObject ? "ptr" : type;
        };
    }

    private static Pattern regex(String pattern) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new TemplateFunctionException("error parsing regexp: " + e.getDescription());
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jsonOrEmpty(Object value, boolean escapeHtml, String indent) {
        try {
            return GoJson.encode(value, escapeHtml, indent);
        } catch (TemplateFunctionException e) {
            return "";
        }
    }

    private static List<Object> appended(List<Object> list, Object value) {
        List<Object> out = new ArrayList<>(list);
        out.add(value);
        return out;
    }

    private static boolean same(Object a, Object b) {
        return a == null ? b == null : a.equals(b);
    }

    private static List<Object> toList(Object v) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) l;
            return list;
        }
        return List.of(v);
    }

    private static String join(String separator, Object v) {
        if (v instanceof String s) {
            return s;
        }
        return String.join(separator, toList(v).stream().filter(x -> x != null).map(Args::strval).toList());
    }

    private static List<String> split(String separator, String s) {
        List<String> out = new ArrayList<>();
        if (separator.isEmpty()) {
            s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }
        int from = 0;
        int at;
        while ((at = s.indexOf(separator, from)) >= 0) {
            out.add(s.substring(from, at));
            from = at + separator.length();
        }
        out.add(s.substring(from));
        return out;
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder();
        boolean start = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(start ? Character.toTitleCase(c) : c);
            start = !Character.isLetterOrDigit(c) && c != '_' && c != '\'';
        }
        return out.toString();
    }

    private static String trimAll(String s, String cutset) {
        int start = 0;
        int end = s.length();
        while (start < end && cutset.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && cutset.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(start, end);
    }

    private static String substr(long start, long end, String s) {
        if (start < 0) {
            return s.substring(0, (int) Math.min(Math.max(end, 0), s.length()));
        }
        if (end < 0 || end > s.length()) {
            return start > s.length() ? "" : s.substring((int) start);
        }
        return start > end ? "" : s.substring((int) start, (int) end);
    }

    private static String quoteEach(List<Object> args, boolean doubleQuotes) {
        List<String> out = new ArrayList<>();
        for (Object v : args) {
            if (v != null && v != GoValues.NO_VALUE) {
                out.add(doubleQuotes ? GoFormat.quote(Args.strval(v)) : "'" + Args.strval(v) + "'");
            }
        }
        return String.join(" ", out);
    }

    private static String indent(long spaces, String s) {
        String pad = " ".repeat((int) Math.max(0, Math.min(spaces, 1000)));
        return pad + s.replace("\n", "\n" + pad);
    }
}
