package io.edgegate.dataplane.filter.builder;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * A plain YAML scalar read as a number the way yaml.v3 (Easegress's YAML library) resolves one:
 * underscores dropped, then Go's {@code strconv.ParseInt(text, 0, 64)} — a sign, then {@code 0b},
 * {@code 0o} or {@code 0x} in either case, or a leading {@code 0} for octal —, then
 * {@code ParseUint} for what is too large, then a decimal float.
 */
final class GoNumbers {

    /** yaml.v3's yamlStyleFloat, tried on the text without underscores once no integer reads it. */
    private static final Pattern DECIMAL_FLOAT = Pattern.compile("^[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$");
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private GoNumbers() {
    }

    /** An Integer, Long or BigInteger (above 2^63, up to 2^64 - 1, unsigned only); null when no integer reads it. */
    static Number integer(String plain) {
        String text = plain.replace("_", "");
        boolean signed = text.startsWith("-") || text.startsWith("+");
        String digits = signed ? text.substring(1) : text;
        int radix = 10;
        if (digits.length() >= 3 && digits.charAt(0) == '0' && radix(digits.charAt(1)) > 0) {
            radix = radix(digits.charAt(1));
            digits = digits.substring(2);
        } else if (digits.length() >= 2 && digits.charAt(0) == '0') {
            radix = 8;
            digits = digits.substring(1);
        }
        if (digits.isEmpty() || !allDigits(digits, radix)) {
            return null;
        }
        BigInteger value = new BigInteger(digits, radix);
        if (text.startsWith("-")) {
            value = value.negate();
        }
        if (value.bitLength() < 32) {
            return value.intValue();
        }
        if (value.bitLength() < 64) {
            return value.longValue();
        }
        // ParseInt is out of range; ParseUint takes no sign.
        return !signed && value.compareTo(UINT64_MAX) <= 0 ? value : null;
    }

    /**
     * A plain scalar's number: an integer as {@link #integer}, else a decimal float; null when it is none. yaml.v3
     * tries numbers only on text that starts with a digit, a sign or a dot, and a dot's text as a float only.
     */
    static Object number(String plain) {
        if (plain.isEmpty()) {
            return null;
        }
        char first = plain.charAt(0);
        if (first == '.') {
            return DECIMAL_FLOAT.matcher(plain).matches() ? Double.valueOf(plain) : null;
        }
        if (first != '-' && first != '+' && (first < '0' || first > '9')) {
            return null;
        }
        Number integer = integer(plain);
        if (integer != null) {
            return integer;
        }
        String text = plain.replace("_", "");
        return DECIMAL_FLOAT.matcher(text).matches() ? Double.valueOf(text) : null;
    }

    private static int radix(char prefix) {
        return switch (prefix) {
            case 'b', 'B' -> 2;
            case 'o', 'O' -> 8;
            case 'x', 'X' -> 16;
            default -> 0;
        };
    }

    private static boolean allDigits(String digits, int radix) {
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0 || digits.charAt(i) > 'z') {
                return false;
            }
        }
        return true;
    }
}
