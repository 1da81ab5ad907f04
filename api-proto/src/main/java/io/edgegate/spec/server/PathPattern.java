package io.edgegate.spec.server;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A path of Easegress's {@code RadixTree} router: literal text with parameters {@code {name}}
 * (up to the character that follows it in the pattern, '/' at the end; never across a '/'),
 * {@code {name:regexp}} (the same span, which the whole regexp must match, never empty) and a
 * final {@code *} (the rest of the path, possibly empty). A path matches a pattern in one way
 * only: a parameter ends at the first occurrence of the character after it, as in Easegress.
 *
 * <p>{@code rewriteTarget} may name the parameters ({@code /api/users/{username}}) and the
 * rest matched by {@code *} as {@code {EG_WILDCARD}}.
 */
public final class PathPattern {

    /** The name Easegress gives to what {@code *} matched. */
    public static final String WILDCARD = "EG_WILDCARD";

    /** One part of a pattern: literal text, a parameter (with its regexp or not) or the final wildcard. */
    public sealed interface Token permits Literal, Parameter, Wildcard {
    }

    public record Literal(String text) implements Token {
    }

    /** {@code regexp} is null for a plain parameter; {@code tail} is the character that ends its value. */
    public record Parameter(String name, Pattern regexp, char tail) implements Token {
    }

    public record Wildcard() implements Token {
    }

    private final String source;
    private final List<Token> tokens;
    private final List<String> names;

    private PathPattern(String source, List<Token> tokens, List<String> names) {
        this.source = source;
        this.tokens = List.copyOf(tokens);
        this.names = List.copyOf(names);
    }

    /** Whether {@code path} has a parameter or a wildcard (a plain path is matched exactly). */
    public static boolean isPattern(String path) {
        return path.indexOf('{') >= 0 || path.indexOf('*') >= 0;
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code pattern} */
    public static PathPattern parse(String pattern) {
        List<Token> tokens = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < pattern.length()) {
            int open = pattern.indexOf('{', i);
            int star = pattern.indexOf('*', i);
            if (star >= 0 && (open < 0 || star < open)) {
                if (star != pattern.length() - 1) {
                    throw new IllegalArgumentException("'*' must end the path; name a part in the middle with {param}");
                }
                addLiteral(tokens, pattern.substring(i, star));
                tokens.add(new Wildcard());
                names.add(WILDCARD);
                break;
            }
            if (open < 0) {
                addLiteral(tokens, pattern.substring(i));
                break;
            }
            addLiteral(tokens, pattern.substring(i, open));
            int close = closingBrace(pattern, open);
            String key = pattern.substring(open + 1, close);
            Pattern regexp = null;
            int colon = key.indexOf(':');
            if (colon >= 0) {
                regexp = compile(key.substring(colon + 1));
                key = key.substring(0, colon);
            }
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a parameter needs a name, e.g. {id}");
            }
            if (names.contains(key)) {
                throw new IllegalArgumentException("names the parameter '" + key + "' twice");
            }
            if (close + 1 < pattern.length() && pattern.charAt(close + 1) == '{') {
                throw new IllegalArgumentException("two parameters need text between them");
            }
            names.add(key);
            char tail = close + 1 < pattern.length() ? pattern.charAt(close + 1) : '/';
            tokens.add(new Parameter(key, regexp, tail));
            i = close + 1;
        }
        return new PathPattern(pattern, tokens, names);
    }

    private static void addLiteral(List<Token> tokens, String text) {
        if (!text.isEmpty()) {
            tokens.add(new Literal(text));
        }
    }

    /** The '}' that closes the '{' at {@code open}, counting braces a regexp may hold. */
    private static int closingBrace(String pattern, int open) {
        int depth = 0;
        for (int i = open; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("a parameter's '{' at " + open + " has no closing '}'");
    }

    /** Easegress anchors the regexp at both ends. */
    private static Pattern compile(String regexp) {
        String anchored = (regexp.startsWith("^") ? "" : "^") + regexp + (regexp.endsWith("$") ? "" : "$");
        try {
            return Regexps.compile(anchored);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("has a bad regexp '" + regexp + "': " + e.getDescription());
        }
    }

    public String source() {
        return source;
    }

    public List<Token> tokens() {
        return tokens;
    }

    /** The literal text the pattern starts with (empty when it starts with a parameter): every path it matches starts so. */
    public String leadingLiteral() {
        return !tokens.isEmpty() && tokens.get(0) instanceof Literal literal ? literal.text() : "";
    }

    /** The parameter names in order, with {@link #WILDCARD} for a final '*'. */
    public List<String> names() {
        return names;
    }

    /** The values of the parameters in order when {@code path} matches, else null. */
    public List<String> match(String path) {
        List<String> values = new ArrayList<>(names.size());
        int at = 0;
        for (Token token : tokens) {
            if (token instanceof Literal literal) {
                if (!path.startsWith(literal.text(), at)) {
                    return null;
                }
                at += literal.text().length();
            } else if (token instanceof Parameter parameter) {
                int end = parameterEnd(parameter, path, at);
                if (end < 0) {
                    return null;
                }
                values.add(path.substring(at, end));
                at = end;
            } else {
                values.add(path.substring(at));
                at = path.length();
            }
        }
        return at == path.length() ? values : null;
    }

    /** Where the value of {@code parameter} starting at {@code at} ends, or -1 if it cannot match there. */
    public static int parameterEnd(Parameter parameter, String path, int at) {
        if (at >= path.length()) {
            return -1;
        }
        int end = path.indexOf(parameter.tail(), at);
        if (end < 0) {
            if (parameter.tail() != '/') {
                return -1;
            }
            end = path.length();
        }
        String value = path.substring(at, end);
        if (parameter.regexp() != null) {
            return end > at && parameter.regexp().matcher(value).matches() ? end : -1;
        }
        return value.indexOf('/') < 0 ? end : -1;
    }

    /**
     * Checks a rewriteTarget for this pattern: Easegress refuses '*' in it and names it does not
     * capture. Empty when it is fine, else the problem.
     */
    public Optional<String> problemWithRewrite(String target) {
        if (target.indexOf('*') >= 0) {
            return Optional.of("cannot hold '*'; write {" + WILDCARD + "} for what the path's '*' matched");
        }
        if (!target.startsWith("/")) {
            return Optional.of("must start with '/'");
        }
        for (String name : referencedNames(target)) {
            if (!names.contains(name)) {
                return Optional.of("names {" + name + "}, which the path " + source + " does not capture (it captures "
                        + (names.isEmpty() ? "nothing" : String.join(", ", names)) + ")");
            }
        }
        return Optional.empty();
    }

    /** {@code target} with each {name} replaced by what that parameter matched. */
    public String rewrite(String target, List<String> values) {
        Map<String, String> byName = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            byName.put(names.get(i), values.get(i));
        }
        StringBuilder out = new StringBuilder(target.length() + 16);
        int i = 0;
        while (i < target.length()) {
            int open = target.indexOf('{', i);
            int close = open < 0 ? -1 : target.indexOf('}', open);
            if (close < 0) {
                out.append(target, i, target.length());
                break;
            }
            String value = byName.get(target.substring(open + 1, close));
            out.append(target, i, open).append(value != null ? value : target.substring(open, close + 1));
            i = close + 1;
        }
        return out.toString();
    }

    private static List<String> referencedNames(String target) {
        List<String> found = new ArrayList<>();
        int i = 0;
        while (true) {
            int open = target.indexOf('{', i);
            int close = open < 0 ? -1 : target.indexOf('}', open);
            if (close < 0) {
                return found;
            }
            found.add(target.substring(open + 1, close));
            i = close + 1;
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
