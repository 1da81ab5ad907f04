package io.edgegate.spec;

import java.util.regex.Pattern;

/** What HTTP lets a header name and value be (RFC 9110 §5.1, §5.5), checked when a config is applied, not when it is sent. */
public final class HttpTokens {

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private HttpTokens() {
    }

    public static boolean isHeaderName(String name) {
        return HEADER_NAME.matcher(name).matches();
    }

    /** No control characters (CR and LF above all: a value must not start another header). */
    public static boolean isHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return false;
            }
        }
        return true;
    }
}
