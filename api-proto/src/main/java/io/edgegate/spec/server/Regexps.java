package io.edgegate.spec.server;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.edgegate.spec.codec.SpecObject;
import java.util.Optional;

/**
 * Regular expressions as Easegress configs write them, in Go's RE2 syntax and compiled by RE2/J,
 * so they mean what they mean in Easegress ({@code [[:alnum:]]}, {@code (?P<name>...)}, {@code (?U)})
 * and what Go refuses (lookarounds, backreferences) is refused. Matching takes time linear in the
 * input: a crafted path or header cannot make a regexp backtrack for seconds on an event loop.
 * Matching is a search, as with Go's {@code MatchString}: anchor with {@code ^...$} to match a whole value.
 */
public final class Regexps {

    private Regexps() {
    }

    /** Compiles a regexp that {@link #check} accepted. */
    public static Pattern compile(String regex) {
        return Pattern.compile(regex);
    }

    /** Refuses a regexp that does not compile, at the control plane, with the compiler's reason. */
    public static Optional<Pattern> check(String regex, SpecObject o, String key) {
        try {
            return Optional.of(compile(regex));
        } catch (PatternSyntaxException e) {
            o.error(key, "'" + regex + "' is not a valid regular expression: " + e.getDescription());
            return Optional.empty();
        }
    }
}
