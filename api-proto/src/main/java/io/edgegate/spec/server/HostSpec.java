package io.edgegate.spec.server;

import io.edgegate.spec.codec.SpecObject;

/** An entry of a rule's {@code hosts}: an exact or wildcard host, or a regular expression. */
public record HostSpec(String value, boolean isRegexp) {

    static HostSpec decode(SpecObject o) {
        String value = o.requiredString("value");
        boolean isRegexp = o.bool("isRegexp", false);
        if (isRegexp) {
            Regexps.check(value, o, "value");
        } else {
            checkWildcard(value, o, "value");
        }
        o.finish();
        return new HostSpec(value, isRegexp);
    }

    /** Wildcards are a whole leading label ({@code *.example.com}) or a whole trailing one ({@code www.*}). */
    static void checkWildcard(String host, SpecObject o, String key) {
        int stars = host.length() - host.replace("*", "").length();
        boolean leading = host.startsWith("*.") && host.length() > 2;
        boolean trailing = host.endsWith(".*") && host.length() > 2;
        if (stars > 1 || (stars == 1 && !leading && !trailing)) {
            o.error(key, "'" + host + "' is not a valid host (expected: an exact host, '*.example.com' or 'www.example.*')");
        }
    }
}
