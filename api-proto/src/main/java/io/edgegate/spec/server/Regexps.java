package io.edgegate.spec.server;

import io.edgegate.spec.codec.SpecObject;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Refuses regular expressions that do not compile, at the control plane, with the compiler's reason. */
public final class Regexps {

    private Regexps() {
    }

    public static void check(String regex, SpecObject o, String key) {
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            o.error(key, "'" + regex + "' is not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
    }
}
