package io.edgegate.dataplane.server;

import io.netty.util.NetUtil;

/**
 * What a Host header (or the authority of an absolute-form target) may hold: {@code host[:port]}
 * as RFC 3986 spells it, with no user info. A value outside it is how a request smuggles a
 * different authority past routing, so it is refused rather than guessed at.
 */
final class HostHeader {

    private HostHeader() {
    }

    /** Whether {@code value} is a valid {@code host[:port]}; an empty value is valid (RFC 9112 §3.2: no authority). */
    static boolean isValid(String value) {
        if (value.isEmpty()) {
            return true;
        }
        int portStart;
        if (value.charAt(0) == '[') {
            int close = value.indexOf(']');
            if (close < 0 || !NetUtil.isValidIpV6Address(value.substring(1, close))) {
                return false;
            }
            portStart = close + 1;
        } else {
            int colon = value.indexOf(':');
            portStart = colon < 0 ? value.length() : colon;
            if (portStart == 0 || !isRegName(value, 0, portStart)) {
                return false;
            }
        }
        if (portStart == value.length()) {
            return true;
        }
        return value.charAt(portStart) == ':' && isPort(value, portStart + 1);
    }

    /** reg-name (and IPv4 literals, which it includes): unreserved, percent-encoded and sub-delimiter characters. */
    private static boolean isRegName(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=".indexOf(c) >= 0;
            if (c == '%') {
                if (i + 2 >= to || Character.digit(value.charAt(i + 1), 16) < 0 || Character.digit(value.charAt(i + 2), 16) < 0) {
                    return false;
                }
                i += 2;
                continue;
            }
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPort(String value, int from) {
        int length = value.length() - from;
        if (length == 0 || length > 5) {
            return false;
        }
        int port = 0;
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535;
    }
}
