package io.edgegate.template;

import static io.edgegate.template.TemplateFunction.of;
import static io.edgegate.template.TemplateFunction.variadic;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The functions every Go template has: and, or, not, len, index, slice, print*, html, js, urlquery, eq… */
final class GoBuiltins {

    private GoBuiltins() {
    }

    static List<TemplateFunction> all() {
        return List.of(
                // The executor evaluates and/or itself, lazily; these entries make the names known.
                variadic("and", 1, args -> args.get(args.size() - 1)),
                variadic("or", 1, args -> args.get(args.size() - 1)),
                of("not", 1, args -> !GoValues.truth(args.get(0))),
                of("len", 1, args -> (long) GoValues.length(args.get(0))),
                variadic("index", 1, args -> GoValues.index(args.get(0), args.subList(1, args.size()))),
                variadic("slice", 1, args -> GoValues.slice(args.get(0), args.subList(1, args.size()))),
                variadic("print", 0, GoValues::sprint),
                variadic("println", 0, GoValues::sprintln),
                variadic("printf", 1, args -> GoFormat.sprintf(Args.string(args, 0), args.subList(1, args.size()))),
                variadic("html", 0, args -> html(text(args))),
                variadic("js", 0, args -> js(text(args))),
                variadic("urlquery", 0, args -> queryEscape(text(args))),
                variadic("eq", 1, args -> GoValues.eq(args.get(0), args.subList(1, args.size()))),
                of("ne", 2, args -> !GoValues.eq(args.get(0), List.of(args.get(1)))),
                of("lt", 2, args -> GoValues.lt(args.get(0), args.get(1))),
                of("le", 2, args -> GoValues.lt(args.get(0), args.get(1)) || GoValues.eq(args.get(0), List.of(args.get(1)))),
                of("gt", 2, args -> !GoValues.lt(args.get(0), args.get(1)) && !GoValues.eq(args.get(0), List.of(args.get(1)))),
                of("ge", 2, args -> !GoValues.lt(args.get(0), args.get(1))),
                variadic("call", 1, args -> {
                    throw new TemplateFunctionException("non-function of type " + GoValues.typeName(args.get(0)));
                }));
    }

    /** The text html/js/urlquery work on: a lone string as it is, anything else as fmt.Sprint prints it. */
    private static String text(List<Object> args) {
        if (args.size() == 1 && args.get(0) instanceof String s) {
            return s;
        }
        return GoValues.sprint(args);
    }

    static String html(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("&#34;");
                case '\'' -> out.append("&#39;");
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\0' -> out.append('\uFFFD');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String js(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '<' -> out.append("\\u003C");
                case '>' -> out.append("\\u003E");
                case '&' -> out.append("\\u0026");
                case '=' -> out.append("\\u003D");
                default -> {
                    if (c < ' ') {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Go's url.QueryEscape: unreserved characters kept, space as '+', the rest %XX of its UTF-8 bytes. */
    static String queryEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
