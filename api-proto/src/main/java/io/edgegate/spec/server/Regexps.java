package io.edgegate.spec.server;

import io.edgegate.spec.codec.SpecObject;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Regular expressions as Easegress configs write them (Go's RE2 syntax), compiled for Java.
 * Matching is a search, as with Go's {@code MatchString}: anchor with {@code ^...$} to match
 * a whole value. Go's named groups {@code (?P<name>...)} are accepted.
 */
public final class Regexps {

    private Regexps() {
    }

    /** Compiles a regexp that {@link #check} accepted. */
    public static Pattern compile(String regex) {
        return Pattern.compile(regex.replace("(?P<", "(?<"));
    }

    /** Refuses a regexp that does not compile, at the control plane, with the compiler's reason. */
    public static Optional<Pattern> check(String regex, SpecObject o, String key) {
        try {
            return Optional.of(compile(regex));
        } catch (PatternSyntaxException e) {
            o.error(key, "'" + regex + "' is not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
            return Optional.empty();
        }
    }
}
