package io.edgegate.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Go's {@code fmt} formatting for template values: {@code printf}'s verbs and how floats print. */
final class GoFormat {

    private GoFormat() {
    }

    /** {@code %v} of a float64: the shortest digits that read back the same, in %e form when the exponent is below -4 or at least 6 (Go's %g). */
    static String shortestFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int dp = digits.length() - exact.scale();
        int exp = dp - 1;
        String sign = d < 0 ? "-" : "";
        if (exp < -4 || exp >= 6) {
            return sign + eForm(digits, exp);
        }
        return sign + fForm(digits, dp);
    }

    /** The shortest digits of a finite, non-zero float, always in %e form. */
    static String shortestFloatExponent(double d) {
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        return (d < 0 ? "-" : "") + eForm(digits, digits.length() - exact.scale() - 1);
    }

    private static String eForm(String digits, int exp) {
        StringBuilder out = new StringBuilder().append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        return out.append(exponent(exp)).toString();
    }

    private static String exponent(int exp) {
        String e = Integer.toString(Math.abs(exp));
        return "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }

    private static String fForm(String digits, int dp) {
        if (dp <= 0) {
            return "0." + "0".repeat(-dp) + digits;
        }
        if (dp >= digits.length()) {
            return digits + "0".repeat(dp - digits.length());
        }
        return digits.substring(0, dp) + "." + digits.substring(dp);
    }

    /** {@code fmt.Sprintf(format, args...)}. */
    static String sprintf(String format, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int argIndex = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            Spec spec = new Spec();
            while (i < format.length() && "+-# 0".indexOf(format.charAt(i)) >= 0) {
                switch (format.charAt(i++)) {
                    case '+' -> spec.plus = true;
                    case '-' -> spec.minus = true;
                    case '#' -> spec.sharp = true;
                    case ' ' -> spec.space = true;
                    default -> spec.zero = true;
                }
            }
            if (i < format.length() && format.charAt(i) == '*') {
                i++;
                if (argIndex < args.size() && args.get(argIndex) instanceof Long w) {
                    spec.width = (int) Math.abs(w);
                    spec.minus |= w < 0;
                } else {
                    out.append("%!(BADWIDTH)");
                }
                argIndex++;
            } else {
                int start = i;
                while (i < format.length() && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                spec.width = i > start ? Integer.parseInt(format.substring(start, i)) : -1;
            }
            if (i < format.length() && format.charAt(i) == '.') {
                i++;
                if (i < format.length() && format.charAt(i) == '*') {
                    i++;
                    spec.precision = argIndex < args.size() && args.get(argIndex) instanceof Long p ? (int) (long) p : 0;
                    argIndex++;
                } else {
                    int start = i;
                    while (i < format.length() && Character.isDigit(format.charAt(i))) {
                        i++;
                    }
                    spec.precision = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
                }
            }
            if (i >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(i++);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argIndex >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            out.append(spec.pad(format(verb, spec, args.get(argIndex++))));
        }
        if (argIndex < args.size()) {
            out.append("%!(EXTRA ");
            for (int a = argIndex; a < args.size(); a++) {
                Object arg = args.get(a);
                out.append(a > argIndex ? ", " : "").append(arg == null ? "<nil>" : GoValues.typeName(arg) + "=" + GoValues.print(arg));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static final class Spec {
        boolean plus;
        boolean minus;
        boolean sharp;
        boolean space;
        boolean zero;
        int width = -1;
        int precision = -1;
        boolean numeric;

        String pad(String text) {
            int length = text.codePointCount(0, text.length());
            if (width <= length) {
                return text;
            }
            String fill = " ".repeat(width - length);
            if (minus) {
                return text + fill;
            }
            if (zero && numeric) {
                int signLength = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
                return text.substring(0, signLength) + "0".repeat(width - length) + text.substring(signLength);
            }
            return fill + text;
        }
    }

    private static String format(char verb, Spec spec, Object arg) {
        if (arg == GoValues.NO_VALUE) {
            arg = null;
        }
        if (arg == null) {
            return verb == 'v' ? "<nil>" : "%!" + verb + "(<nil>)";
        }
        if (arg instanceof Long n) {
            spec.numeric = true;
            return integer(verb, spec, n);
        }
        if (arg instanceof Double d) {
            spec.numeric = true;
            return floating(verb, spec, d);
        }
        if (arg instanceof Boolean b) {
            return verb == 't' || verb == 'v' ? b.toString() : bad(verb, arg);
        }
        if (arg instanceof String || arg instanceof JsonNumber || arg instanceof byte[]) {
            String s = arg instanceof byte[] bytes && verb != 'v' ? new String(bytes, StandardCharsets.UTF_8) : arg.toString();
            if (arg instanceof byte[] && verb == 'v') {
                return GoValues.print(arg);
            }
            return switch (verb) {
                case 'v', 's' -> spec.precision >= 0 && spec.precision < s.length() ? s.substring(0, spec.precision) : s;
                case 'q' -> quote(s);
                case 'x', 'X' -> {
                    StringBuilder hex = new StringBuilder();
                    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                        hex.append(String.format(verb == 'x' ? "%02x" : "%02X", b & 0xFF));
                    }
                    yield hex.toString();
                }
                default -> bad(verb, arg);
            };
        }
        if (verb == 'v' || verb == 's' && (arg instanceof List<?> || arg instanceof java.util.Map<?, ?>)) {
            return GoValues.print(arg);
        }
        return bad(verb, arg);
    }

    private static String integer(char verb, Spec spec, long n) {
        String body = switch (verb) {
            case 'v', 'd' -> Long.toString(Math.abs(n));
            case 'x' -> (spec.sharp ? "0x" : "") + Long.toHexString(Math.abs(n));
            case 'X' -> (spec.sharp ? "0X" : "") + Long.toHexString(Math.abs(n)).toUpperCase(Locale.ROOT);
            case 'o' -> (spec.sharp ? "0" : "") + Long.toOctalString(Math.abs(n));
            case 'O' -> "0o" + Long.toOctalString(Math.abs(n));
            case 'b' -> Long.toBinaryString(Math.abs(n));
            case 'c' -> new String(Character.toChars((int) n));
            case 'q' -> "'" + new String(Character.toChars((int) n)) + "'";
            case 'U' -> String.format("U+%04X", n);
            default -> null;
        };
        if (body == null) {
            return bad(verb, n);
        }
        if ("cqU".indexOf(verb) >= 0) {
            return body;
        }
        if (spec.precision >= 0 && body.length() < spec.precision) {
            body = "0".repeat(spec.precision - body.length()) + body;
        }
        return (n < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "") + body;
    }

    private static String floating(char verb, Spec spec, double d) {
        String body;
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            body = Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";
            return spec.plus || !body.equals("+Inf") ? body : "+Inf";
        }
        switch (verb) {
            case 'v', 'g', 'G' -> {
                body = spec.precision < 0 ? shortestFloat(Math.abs(d)) : gForm(Math.abs(d), spec.precision);
                if (verb == 'G') {
                    body = body.toUpperCase(Locale.ROOT);
                }
            }
            case 'f', 'F' -> body = new BigDecimal(Math.abs(d)).setScale(spec.precision < 0 ? 6 : spec.precision, RoundingMode.HALF_EVEN)
                    .toPlainString();
            case 'e', 'E' -> {
                body = eFixed(Math.abs(d), spec.precision < 0 ? 6 : spec.precision);
                if (verb == 'E') {
                    body = body.toUpperCase(Locale.ROOT);
                }
            }
            default -> {
                return bad(verb, d);
            }
        }
        boolean negative = d < 0 || d == 0 && 1 / d < 0;
        return (negative ? "-" : spec.plus ? "+" : spec.space ? " " : "") + body;
    }

    private static String eFixed(double d, int precision) {
        if (d == 0) {
            return "0" + (precision > 0 ? "." + "0".repeat(precision) : "") + "e+00";
        }
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
        String digits = rounded.unscaledValue().toString();
        int exp = digits.length() - rounded.scale() - 1;
        digits = (digits + "0".repeat(precision + 1)).substring(0, precision + 1);
        return digits.charAt(0) + (precision > 0 ? "." + digits.substring(1) : "") + exponent(exp);
    }

    private static String gForm(double d, int precision) {
        int p = precision == 0 ? 1 : precision;
        if (d == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(p, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        String digits = rounded.unscaledValue().toString();
        int dp = digits.length() - rounded.scale();
        int exp = dp - 1;
        int eprec = p;
        if (eprec > digits.length() && digits.length() >= dp) {
            eprec = digits.length();
        }
        return exp < -4 || exp >= eprec ? eForm(digits, exp) : fForm(digits, dp);
    }

    /** Go's strconv.Quote: a double-quoted string with Go escapes. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case 0x0B -> out.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7F) {
                        out.append(String.format("\\x%02x", cp));
                    } else if (Character.isISOControl(cp) || !Character.isDefined(cp) || Character.isSurrogate((char) cp) && cp < 0x10000) {
                        out.append(cp < 0x10000 ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    private static String bad(char verb, Object arg) {
        return "%!" + verb + "(" + GoValues.typeName(arg) + "=" + GoValues.print(arg) + ")";
    }
}
