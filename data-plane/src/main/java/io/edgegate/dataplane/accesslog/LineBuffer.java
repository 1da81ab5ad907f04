package io.edgegate.dataplane.accesslog;

import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * One access-log line as UTF-8 bytes, reused from line to line by the log's writer: values are
 * encoded straight into it (plain ASCII strings in one bulk copy), so a line costs no builder,
 * string or encoder of its own.
 */
final class LineBuffer {

    private byte[] bytes;
    private int length;

    LineBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    void reset() {
        length = 0;
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    LineBuffer put(char ascii) {
        room(1);
        bytes[length++] = (byte) ascii;
        return this;
    }

    /** Bytes encoded beforehand (field names). */
    LineBuffer put(byte[] encoded) {
        room(encoded.length);
        System.arraycopy(encoded, 0, bytes, length, encoded.length);
        length += encoded.length;
        return this;
    }

    /** ASCII text known to need no escaping (constants). */
    LineBuffer ascii(String text) {
        room(text.length());
        copyLatin1(text, 0, text.length());
        return this;
    }

    /** ASCII text known to need no escaping: a string's or an {@link AsciiString}'s bytes in one copy. */
    LineBuffer ascii(CharSequence text) {
        if (text instanceof String string) {
            return ascii(string);
        }
        int size = text.length();
        room(size);
        if (text instanceof AsciiString bytesOfText) {
            bytesOfText.copy(0, bytes, length, size);
            length += size;
        } else {
            for (int i = 0; i < size; i++) {
                bytes[length++] = (byte) text.charAt(i);
            }
        }
        return this;
    }

    LineBuffer number(long value) {
        if (value == Long.MIN_VALUE) {
            return ascii(Long.toString(value));
        }
        if (value < 0) {
            put('-');
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        room(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    /** {@code text} as UTF-8, unescaped (a whole combined-format line). */
    LineBuffer utf8(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                codePoint(Character.toCodePoint(c, text.charAt(++i)));
            } else {
                utf8(c);
            }
        }
        return this;
    }

    /** One char as UTF-8; a lone surrogate (no character) becomes '?'. */
    LineBuffer utf8(char c) {
        room(3);
        if (c < 0x80) {
            bytes[length++] = (byte) c;
        } else if (c < 0x800) {
            bytes[length++] = (byte) (0xC0 | (c >> 6));
            bytes[length++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isSurrogate(c)) {
            bytes[length++] = '?';
        } else {
            bytes[length++] = (byte) (0xE0 | (c >> 12));
            bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            bytes[length++] = (byte) (0x80 | (c & 0x3F));
        }
        return this;
    }

    LineBuffer codePoint(int cp) {
        room(4);
        bytes[length++] = (byte) (0xF0 | (cp >> 18));
        bytes[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        bytes[length++] = (byte) (0x80 | (cp & 0x3F));
        return this;
    }

    /** Chars {@code from} to {@code to} of a string whose chars there are all below 0x80: one bulk copy. */
    @SuppressWarnings("deprecation") // the one String method that copies its Latin-1 bytes without a charset encoder
    void copyLatin1(String text, int from, int to) {
        room(to - from);
        text.getBytes(from, to, bytes, length);
        length += to - from;
    }

    private void room(int more) {
        if (bytes.length - length < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
