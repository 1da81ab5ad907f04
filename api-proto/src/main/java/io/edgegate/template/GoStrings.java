package io.edgegate.template;

import io.edgegate.template.Node.Pos;

/** Go's literal syntax: quoted and raw strings, character constants and numbers. */
final class GoStrings {

    private GoStrings() {
    }

    /** The value of a {@code "quoted"} or {@code `raw`} string literal. */
    static String unquote(String literal, Pos pos) {
        if (literal.startsWith("`")) {
            return literal.substring(1, literal.length() - 1).replace("\r", "");
        }
        StringBuilder out = new StringBuilder();
        int i = 1;
        int end = literal.length() - 1;
        while (i < end) {
            char c = literal.charAt(i++);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            i = escape(literal, i, end, '"', out, pos);
        }
        return out.toString();
    }

    /** The code point of a {@code 'c'} character constant. */
    static int unquoteChar(String literal, Pos pos) {
        String body = literal.substring(1, literal.length() - 1);
        if (body.isEmpty()) {
            throw new TemplateException(pos.line(), pos.column(), "malformed character constant: " + literal);
        }
        StringBuilder out = new StringBuilder();
        if (body.charAt(0) == '\\') {
            int next = escape(body, 1, body.length(), '\'', out, pos);
            if (next != body.length()) {
                throw new TemplateException(pos.line(), pos.column(), "malformed character constant: " + literal);
            }
        } else {
            out.append(body);
        }
        if (out.codePointCount(0, out.length()) != 1) {
            throw new TemplateException(pos.line(), pos.column(), "malformed character constant: " + literal);
        }
        return out.codePointAt(0);
    }

    private static int escape(String s, int i, int end, char quote, StringBuilder out, Pos pos) {
        if (i >= end) {
            throw invalid(pos);
        }
        char e = s.charAt(i++);
        switch (e) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case '\\' -> out.append('\\');
            case 'x', 'u', 'U' -> {
                int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                if (i + digits > end) {
                    throw invalid(pos);
                }
                int value = parseHex(s.substring(i, i + digits), pos);
                i += digits;
                if (e == 'x') {
                    // A byte; Go strings are bytes, ours are text: bytes above 0x7F are taken as Latin-1.
                    out.append((char) value);
                } else {
                    out.appendCodePoint(value);
                }
            }
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                if (i + 2 > end) {
                    throw invalid(pos);
                }
                try {
                    out.append((char) Integer.parseInt(s.substring(i - 1, i + 2), 8));
                } catch (NumberFormatException ex) {
                    throw invalid(pos);
                }
                i += 2;
            }
            default -> {
                if (e == quote) {
                    out.append(e);
                } else {
                    throw invalid(pos);
                }
            }
        }
        return i;
    }

    private static int parseHex(String digits, Pos pos) {
        try {
            return Integer.parseUnsignedInt(digits, 16);
        } catch (NumberFormatException e) {
            throw invalid(pos);
        }
    }

    private static TemplateException invalid(Pos pos) {
        return new TemplateException(pos.line(), pos.column(), "invalid syntax in string literal");
    }

    /**
     * A number constant: an integer as a Long; written with a fraction or an exponent, a Double
     * (as Go hands an untyped constant with a '.', 'e' or 'p' to an {@code interface{}} argument).
     */
    static Object number(String text, Pos pos) {
        String clean = text.replace("_", "");
        boolean negative = clean.startsWith("-");
        String unsigned = clean.startsWith("-") || clean.startsWith("+") ? clean.substring(1) : clean;
        try {
            String lower = unsigned.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("0x")) {
                if (lower.contains("p") || lower.contains(".")) {
                    double value = Double.parseDouble(lower.contains("p") ? "0x" + lower.substring(2) : "0x" + lower.substring(2) + "p0");
                    return negative ? -value : value;
                }
                long value = Long.parseUnsignedLong(lower.substring(2), 16);
                return negative ? -value : value;
            }
            if (lower.startsWith("0o") || lower.startsWith("0b")) {
                long value = Long.parseLong(lower.substring(2), lower.startsWith("0o") ? 8 : 2);
                return negative ? -value : value;
            }
            if (lower.contains(".") || lower.contains("e")) {
                double value = Double.parseDouble(unsigned);
                return negative ? -value : value;
            }
            if (lower.length() > 1 && lower.startsWith("0")) {
                long value = Long.parseLong(lower.substring(1), 8);
                return negative ? -value : value;
            }
            long value = Long.parseLong(unsigned);
            return negative ? -value : value;
        } catch (NumberFormatException e) {
            throw new TemplateException(pos.line(), pos.column(), "illegal number syntax: \"" + text + "\"");
        }
    }
}
