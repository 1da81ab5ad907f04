package io.edgegate.spec;

import io.edgegate.spec.codec.SpecObject;
import java.util.regex.Pattern;

/** Object and filter names: safe in etcd keys, URLs and log lines. */
public final class Names {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

    private Names() {
    }

    public static boolean isValid(String name) {
        return VALID.matcher(name).matches();
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
