package io.edgegate.spec.codec;

import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * YAML 1.2, which Easegress reads, lets a double-quoted scalar escape a slash as JSON does
 * ({@code "\/api"}); SnakeYAML reads YAML 1.1, which has no such escape and refuses the document.
 * When that is why a parse failed, the escape it stopped at is replaced by the slash it means and
 * the caller parses again. Only escapes the scanner itself found inside a double-quoted scalar are
 * touched, so a backslash before a slash anywhere else (a plain or single-quoted scalar, a
 * comment) keeps its meaning.
 */
final class Yaml12Escapes {

    private Yaml12Escapes() {
    }

    /** {@code text} with the {@code \/} that made {@code failure} replaced by {@code /}, or empty when it failed for another reason. */
    static Optional<String> withEscapedSlashResolved(String text, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null && marked.getProblem() != null
                    && marked.getProblem().startsWith("found unknown escape character /")) {
                return removeBackslashNear(text, marked.getProblemMark().getIndex());
            }
        }
        return Optional.empty();
    }

    /** The scanner's mark counts code points and points at the slash (or, in other versions, at its backslash). */
    private static Optional<String> removeBackslashNear(String text, int codePointIndex) {
        if (codePointIndex < 0 || codePointIndex >= text.codePointCount(0, text.length())) {
            return Optional.empty();
        }
        int at = text.offsetByCodePoints(0, codePointIndex);
        if (text.charAt(at) == '/' && at > 0 && text.charAt(at - 1) == '\\') {
            return Optional.of(text.substring(0, at - 1) + text.substring(at));
        }
        if (text.charAt(at) == '\\' && at + 1 < text.length() && text.charAt(at + 1) == '/') {
            return Optional.of(text.substring(0, at) + text.substring(at + 1));
        }
        return Optional.empty();
    }
}
