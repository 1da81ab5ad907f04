package io.edgegate.spec;

import io.edgegate.spec.codec.SpecObject;

/** Object and filter names: safe in etcd keys, URLs and log lines. */
public final class Names {

    private static final int MAX_LENGTH = 253;

    private Names() {
    }

    /** [A-Za-z0-9][A-Za-z0-9._-]{0,252}, checked by hand: every route names its backend, and a regexp per name showed in applies of 50,000 routes. */
    public static boolean isValid(String name) {
        if (name.isEmpty() || name.length() > MAX_LENGTH || !isLetterOrDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** Reads a required name field and checks its form. */
    public static String read(SpecObject object, String key) {
        String name = object.requiredString(key);
        if (!name.isEmpty() && !isValid(name)) {
            object.error(key, "'" + name + "' is not a valid name (expected: letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit, at most 253 characters)");
        }
        return name;
    }
}
