package io.edgegate.spec.codec;

import static java.util.Objects.requireNonNull;

/** One finding about a document: where (a field path such as {@code filters[0].mainPool}) and what. */
public record SpecProblem(String path, String message, Severity severity) {

    public enum Severity { ERROR, WARNING }

    public SpecProblem {
        requireNonNull(path, "path");
        requireNonNull(message, "message");
        requireNonNull(severity, "severity");
    }

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
