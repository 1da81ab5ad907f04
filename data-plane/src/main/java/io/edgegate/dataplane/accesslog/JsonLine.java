package io.edgegate.dataplane.accesslog;

/**
 * Builds one JSON object on a line, as UTF-8, in a buffer the caller reuses: the access log's
 * writer formats tens of thousands of lines a second on a core the proxy also needs, so no
 * generator, writer, string or date formatter per line. Strings are escaped as RFC 8259 asks.
 */
final class JsonLine {

    private static final String HEX = "0123456789abcdef";

    /** A field's name, quoted and encoded once: {@code "server":}, and {@code ,"server":} for every field but the first. */
    static final class Key {
        private final byte[] first;
        private final byte[] next;

        private Key(String name) {
            this.first = ("\"" + name + "\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            this.next = (",\"" + name + "\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    static Key key(String name) {
        return new Key(name);
    }

    private final LineBuffer out;
    private boolean first = true;

    /** Starts an object at the end of {@code out}. */
    JsonLine(LineBuffer out) {
        this.out = out;
        out.put('{');
    }

    /** A line of its own (tests). */
    JsonLine() {
        this(new LineBuffer(256));
    }

    JsonLine string(Key name, String value) {
        name(name);
        out.put('"');
        escape(value);
        out.put('"');
        return this;
    }

    /**
     * A value known to need no escaping — printable ASCII without quotes or backslashes, such as
     * object names (the spec allows letters, digits, '.', '_' and '-') and hex ids — copied without
     * being scanned (the bytes of a header's {@link io.netty.util.AsciiString} in one copy).
     */
    JsonLine plain(Key name, CharSequence value) {
        name(name);
        out.put('"');
        out.ascii(value);
        out.put('"');
        return this;
    }

    JsonLine number(Key name, long value) {
        name(name);
        out.number(value);
        return this;
    }

    /** A count of milliseconds from nanoseconds, with three decimals. */
    JsonLine millis(Key name, long nanos) {
        name(name);
        long micros = nanos / 1_000;
        out.number(micros / 1_000).put('.');
        long fraction = micros % 1_000;
        out.put((char) ('0' + fraction / 100)).put((char) ('0' + fraction / 10 % 10)).put((char) ('0' + fraction % 10));
        return this;
    }

    JsonLine nullValue(Key name) {
        name(name);
        out.ascii("null");
        return this;
    }

    /** UTC, ISO 8601 with milliseconds: 2026-11-30T00:58:12.345Z. */
    JsonLine time(Key name, long epochMillis) {
        name(name);
        out.put('"');
        IsoTime.format(out, epochMillis);
        out.put('"');
        return this;
    }

    /** As {@link #time(Key, long)}, through a clock that remembers the text of its last second. */
    JsonLine time(Key name, long epochMillis, IsoTime clock) {
        name(name);
        out.put('"');
        clock.append(out, epochMillis);
        out.put('"');
        return this;
    }

    /** Bytes that are already JSON (a run of fields, its leading comma included), after at least one field. */
    JsonLine fields(byte[] encoded) {
        out.put(encoded);
        first = false;
        return this;
    }

    /** Closes the object; the line is in the buffer. */
    void close() {
        out.put('}');
    }

    /** Closes the object and gives the line as a string (tests). */
    String end() {
        close();
        return new String(out.bytes(), 0, out.length(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private void name(Key name) {
        out.put(first ? name.first : name.next);
        first = false;
    }

    private void escape(String value) {
        int plain = 0;
        while (plain < value.length() && isPlain(value.charAt(plain))) {
            plain++;
        }
        // Nearly always the whole value: one bulk copy.
        out.copyLatin1(value, 0, plain);
        for (int i = plain; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.ascii("\\\"");
                case '\\' -> out.ascii("\\\\");
                case '\n' -> out.ascii("\\n");
                case '\r' -> out.ascii("\\r");
                case '\t' -> out.ascii("\\t");
                default -> {
                    if (c < 0x20) {
                        out.ascii("\\u00").put(HEX.charAt((c >> 4) & 0xF)).put(HEX.charAt(c & 0xF));
                    } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.codePoint(Character.toCodePoint(c, value.charAt(++i)));
                    } else {
                        out.utf8(c);
                    }
                }
            }
        }
    }

    /** ASCII that JSON takes as it is. */
    private static boolean isPlain(char c) {
        return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
    }
}
