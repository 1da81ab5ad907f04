package io.edgegate.dataplane.http;

/** Header names as Go writes them in an http.Header (what Easegress's templates and JSON contexts show). */
public final class HeaderKeys {

    private HeaderKeys() {
    }

    /** Go's textproto.CanonicalMIMEHeaderKey: the first letter and each letter after '-' upper case, the rest lower. */
    public static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ' ' || c > 0x7F) {
                // Go leaves a name it cannot canonicalise as it is.
                return name;
            }
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }
}
