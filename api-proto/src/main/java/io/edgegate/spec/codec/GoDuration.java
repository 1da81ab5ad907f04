package io.edgegate.spec.codec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.math.RoundingMode;

/** Durations written the way Easegress (Go) writes them: {@code 500ms}, {@code 60s}, {@code 1m30s}, {@code 1.5h}. */
public final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    private GoDuration() {
    }

    /** Returns the duration, or throws {@link IllegalArgumentException} saying what a duration looks like. */
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        // Go reads one sign: "+1s" is 1s, and no setting here takes a negative time.
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        Duration unsigned = unsigned(s, text);
        if (negative && !unsigned.isZero()) {
            throw new IllegalArgumentException("'" + text + "' is negative (a duration here is 0 or more)");
        }
        return unsigned;
    }

    private static Duration unsigned(String s, String text) {
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (expected: e.g. 500ms, 60s, 1m30s)");
            }
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            at = m.end();
        }
        if (at == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (expected: e.g. 500ms, 60s, 1m30s)");
        }
        // As Go: a fraction of a nanosecond is dropped; past ~292 years there is no duration.
        BigDecimal whole = nanos.setScale(0, RoundingMode.DOWN);
        if (whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too long (a duration is at most 2562047h47m16.854775807s)");
        }
        return Duration.ofNanos(whole.longValueExact());
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalArgumentException(unit);
        };
    }

    /** Formats the way Go prints durations, so values round-trip: {@code 1m30s}, {@code 250ms}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L != 0) {
            if (nanos % 1_000_000L == 0) {
                return nanos / 1_000_000L + "ms";
            }
            if (nanos % 1_000L == 0) {
                return nanos / 1_000L + "us";
            }
            return nanos + "ns";
        }
        long seconds = d.getSeconds();
        StringBuilder out = new StringBuilder();
        if (seconds >= 3600) {
            out.append(seconds / 3600).append('h');
            seconds %= 3600;
        }
        if (seconds >= 60) {
            out.append(seconds / 60).append('m');
            seconds %= 60;
        }
        if (seconds > 0) {
            out.append(seconds).append('s');
        }
        return out.toString();
    }
}
