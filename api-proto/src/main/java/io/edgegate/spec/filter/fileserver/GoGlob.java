package io.edgegate.spec.filter.fileserver;

import java.util.regex.Pattern;

/**
 * A shell pattern as Go's {@code path/filepath.Match} reads it on Unix: {@code *} any run of
 * characters but '/', {@code ?} one character but '/', {@code [...]} a class ({@code ^} negates,
 * {@code a-z} ranges), {@code \} quotes the next character; the whole name must match. Compiled
 * once to a regular expression.
 */
public final class GoGlob {

    private final Pattern pattern;

    private GoGlob(Pattern pattern) {
        this.pattern = pattern;
    }

    /** @throws IllegalArgumentException for a pattern Go calls bad (an open class, a trailing '\', an empty range) */
    public static GoGlob compile(String glob) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append("[^/]*");
                case '?' -> regex.append("[^/]");
                case '\\' -> {
                    if (++i == glob.length()) {
                        throw new IllegalArgumentException("'" + glob + "' ends with an escaping '\\'");
                    }
                    regex.append(Pattern.quote(String.valueOf(glob.charAt(i))));
                }
                case '[' -> i = characterClass(glob, i, regex);
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
            i++;
        }
        return new GoGlob(Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    /** Appends the class that starts at {@code open}; returns the index of its closing ']'. */
    private static int characterClass(String glob, int open, StringBuilder regex) {
        int i = open + 1;
        regex.append('[');
        if (i < glob.length() && glob.charAt(i) == '^') {
            regex.append('^');
            i++;
        }
        int ranges = 0;
        while (true) {
            if (i >= glob.length()) {
                throw new IllegalArgumentException("'" + glob + "' has a '[' without its ']'");
            }
            if (glob.charAt(i) == ']' && ranges > 0) {
                regex.append(']');
                return i;
            }
            int[] lo = classChar(glob, i);
            i = lo[1];
            int hi = lo[0];
            if (i < glob.length() && glob.charAt(i) == '-') {
                int[] end = classChar(glob, i + 1);
                hi = end[0];
                i = end[1];
                if (hi < lo[0]) {
                    throw new IllegalArgumentException("'" + glob + "' has a range that runs backwards");
                }
            }
            regex.append("\\x{").append(Integer.toHexString(lo[0])).append('}');
            if (hi != lo[0]) {
                regex.append("-\\x{").append(Integer.toHexString(hi)).append('}');
            }
            ranges++;
        }
    }

    /** One character of a class, escaped or not: its code point and the index after it. */
    private static int[] classChar(String glob, int i) {
        if (i >= glob.length()) {
            throw new IllegalArgumentException("'" + glob + "' has a '[' without its ']'");
        }
        char c = glob.charAt(i);
        if (c == '-' || c == ']') {
            throw new IllegalArgumentException("'" + glob + "' has '" + c + "' where a class needs a character (write \\" + c + ")");
        }
        if (c == '\\') {
            if (i + 1 >= glob.length()) {
                throw new IllegalArgumentException("'" + glob + "' ends with an escaping '\\'");
            }
            int cp = glob.codePointAt(i + 1);
            return new int[] {cp, i + 1 + Character.charCount(cp)};
        }
        int cp = glob.codePointAt(i);
        return new int[] {cp, i + Character.charCount(cp)};
    }

    public boolean matches(String name) {
        return pattern.matcher(name).matches();
    }
}
