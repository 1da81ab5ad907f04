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

    /** As Easegress, one wildcard, at the start ({@code *.example.com}, {@code *example.com}) or at the end ({@code www.*}). */
    static void checkWildcard(String host, SpecObject o, String key) {
        if (host.equals("*")) {
            // Easegress reads it as the empty suffix, which it never matches: the rule would serve no host there, every host here.
            o.error(key, "'*' alone matches no host in Easegress; leave the host out to serve every host");
            return;
        }
        int stars = host.length() - host.replace("*", "").length();
        if (stars > 1 || (stars == 1 && !host.startsWith("*") && !host.endsWith("*"))) {
            o.error(key, "'" + host + "' is not a valid host (expected: an exact host, or one '*' at its start or end: "
                    + "'*.example.com', 'www.example.*')");
        }
    }
}
