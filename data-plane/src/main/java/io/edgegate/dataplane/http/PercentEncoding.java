package io.edgegate.dataplane.http;

import java.nio.charset.StandardCharsets;

/** Percent-encodes (as UTF-8) what a URL in a request line or a header may not hold as it is. */
public final class PercentEncoding {

    private PercentEncoding() {
    }

    /**
     * {@code text} with spaces, control characters, non-ASCII characters and those of {@code alsoEscaped}
     * percent-encoded; {@code text} itself when it has none (nearly always).
     */
    public static String escapeUnsafe(String text, String alsoEscaped) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean plain = c > 0x20 && c < 0x7f && alsoEscaped.indexOf(c) < 0;
            if (plain && out == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (plain) {
                out.append(c);
                continue;
            }
            int end = Character.isHighSurrogate(c) && i + 1 < text.length() ? i + 2 : i + 1;
            for (byte b : text.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
            i = end - 1;
        }
        return out == null ? text : out.toString();
    }
}
