package io.edgegate.spec.server;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code rewriteTarget} for a {@code pathRegexp}, in Go's template syntax: {@code $1},
 * {@code ${1}}, {@code $name}, {@code ${name}}; {@code $$} is a literal dollar. Parsed once
 * per config; {@link #replaceAll} replaces every match in a path, as Go's
 * {@code ReplaceAllString} does.
 */
public final class RewriteTemplate {

    private sealed interface Part permits Literal, Numbered, Named {
    }

    private record Literal(String text) implements Part {
    }

    private record Numbered(int group) implements Part {
    }

    private record Named(String name) implements Part {
    }

    private final List<Part> parts;

    private RewriteTemplate(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    public static RewriteTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 == template.length()) {
                literal.append(c);
                i++;
                continue;
            }
            if (template.charAt(i + 1) == '$') {
                literal.append('$');
                i += 2;
                continue;
            }
            boolean braced = template.charAt(i + 1) == '{';
            int start = braced ? i + 2 : i + 1;
            int end = start;
            while (end < template.length() && isNameChar(template.charAt(end))) {
                end++;
            }
            boolean closed = !braced || (end < template.length() && template.charAt(end) == '}');
            if (end == start || !closed) {
                // Not a reference: Go keeps the dollar as text.
                literal.append(c);
                i++;
                continue;
            }
            if (literal.length() > 0) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            String name = template.substring(start, end);
            parts.add(isGroupNumber(name) ? new Numbered(Integer.parseInt(name)) : new Named(name));
            i = braced ? end + 1 : end;
        }
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
        }
        return new RewriteTemplate(parts);
    }

    /** Why this template cannot work with {@code pattern}: a group it names does not exist. */
    public Optional<String> problemWith(Pattern pattern) {
        int groups = pattern.groupCount();
        Set<String> names = pattern.namedGroups().keySet();
        for (Part part : parts) {
            if (part instanceof Numbered n && n.group() > groups) {
                return Optional.of("refers to group " + n.group() + " but the regexp has " + groups + " group(s)");
            }
            if (part instanceof Named n && !names.contains(n.name())) {
                return Optional.of("refers to group '" + n.name() + "' that the regexp does not name"
                        + " (write ${1}x for group 1 followed by x)");
            }
        }
        return Optional.empty();
    }

    /** {@code input} with every match of {@code pattern} replaced by this template, expanded for that match. */
    public String replaceAll(Pattern pattern, String input) {
        Matcher m = pattern.matcher(input);
        if (!m.find()) {
            return input;
        }
        StringBuilder out = new StringBuilder(input.length() + 16);
        int last = 0;
        boolean matched = false;
        do {
            // As Go's ReplaceAll: an empty match right where the previous match ended is not a match ("(.*)" on
            // "/a" replaces once, not twice).
            if (matched && m.start() == m.end() && m.start() == last) {
                continue;
            }
            out.append(input, last, m.start());
            expandInto(m, out);
            last = m.end();
            matched = true;
        } while (m.find());
        out.append(input, last, input.length());
        return out.toString();
    }

    private void expandInto(Matcher m, StringBuilder out) {
        for (Part part : parts) {
            String text;
            if (part instanceof Literal l) {
                text = l.text();
            } else if (part instanceof Numbered n) {
                // As Go's Expand: a group the regexp does not have expands to nothing.
                text = n.group() <= m.groupCount() ? m.group(n.group()) : null;
            } else {
                String name = ((Named) part).name();
                text = m.pattern().namedGroups().containsKey(name) ? m.group(name) : null;
            }
            if (text != null) {
                out.append(text);
            }
        }
    }

    /**
     * As Go's Expand: digits without a leading zero, at most nine (Go stops once the value before a digit reaches 10^8);
     * any other name ($01, $1234567890) names a group.
     */
    private static boolean isGroupNumber(String name) {
        return name.length() <= 9 && name.chars().allMatch(Character::isDigit) && (name.length() == 1 || name.charAt(0) != '0');
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
