package io.edgegate.dataplane.accesslog;

/**
 * Builds one JSON object on a line by appending to a StringBuilder the caller reuses: the access
 * log's writer formats tens of thousands of lines a second on a core the proxy also needs, so no
 * generator, writer, buffer or date formatter per line. Strings are escaped as RFC 8259 asks.
 */
final class JsonLine {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A field's name, quoted once: {@code "server":}. */
    static final class Key {
        private final String quoted;

        private Key(String name) {
            this.quoted = "\"" + name + "\":";
        }
    }

    static Key key(String name) {
        return new Key(name);
    }

    private final StringBuilder out;
    private boolean first = true;

    /** Starts an object at the end of {@code out}. */
    JsonLine(StringBuilder out) {
        this.out = out;
        out.append('{');
    }

    /** A line of its own (tests). */
    JsonLine() {
        this(new StringBuilder());
    }

    JsonLine string(Key name, String value) {
        name(name);
        out.append('"');
        escape(value);
        out.append('"');
        return this;
    }

    JsonLine number(Key name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    /** A count of milliseconds from nanoseconds, with three decimals. */
    JsonLine millis(Key name, long nanos) {
        name(name);
        long micros = nanos / 1_000;
        out.append(micros / 1_000).append('.');
        long fraction = micros % 1_000;
        if (fraction < 100) {
            out.append('0');
        }
        if (fraction < 10) {
            out.append('0');
        }
        out.append(fraction);
        return this;
    }

    JsonLine nullValue(Key name) {
        name(name);
        out.append("null");
        return this;
    }

    /** UTC, ISO 8601 with milliseconds: 2026-11-30T00:58:12.345Z. */
    JsonLine time(Key name, long epochMillis) {
        name(name);
        out.append('"');
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        long millisOfDay = Math.floorMod(epochMillis, 86_400_000L);
        // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        out.append(year).append('-');
        two(month).append('-');
        two(day).append('T');
        two(millisOfDay / 3_600_000).append(':');
        two(millisOfDay / 60_000 % 60).append(':');
        two(millisOfDay / 1_000 % 60).append('.');
        long millis = millisOfDay % 1_000;
        out.append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10));
        out.append("Z\"");
        return this;
    }

    private static boolean needsNoEscape(char c) {
        return c >= 0x20 && c != '"' && c != '\\';
    }

    /** Closes the object; the line is in the builder. */
    void close() {
        out.append('}');
    }

    String end() {
        close();
        return out.toString();
    }

    private StringBuilder two(long value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private void name(Key name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        out.append(name.quoted);
    }

    private void escape(String value) {
        int plain = 0;
        while (plain < value.length() && needsNoEscape(value.charAt(plain))) {
            plain++;
        }
        if (plain == value.length()) {
            // Nearly always: copied whole, not char by char.
            out.append(value);
            return;
        }
        out.append(value, 0, plain);
        for (int i = plain; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
