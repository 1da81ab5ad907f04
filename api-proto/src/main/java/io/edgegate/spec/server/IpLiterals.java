package io.edgegate.spec.server;

import io.netty.util.NetUtil;
import java.util.regex.Pattern;

/** Recognises IP address literals without resolving anything (validation must never do DNS). */
public final class IpLiterals {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private IpLiterals() {
    }

    /**
     * Dotted IPv4 or IPv6 (optionally in brackets). Strict: an address with a port, a doubled {@code ::} or a zone id is not
     * one — a literal Java could not parse would be taken for a host name and resolved, or fail on the node only.
     */
    public static boolean isIpLiteral(String s) {
        if (IPV4.matcher(s).matches()) {
            return true;
        }
        String bare = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        return bare.indexOf(':') >= 0 && bare.indexOf('%') < 0 && bare.indexOf('[') < 0
                && NetUtil.isValidIpV6Address(bare);
    }
}
