package io.edgegate.spec.codec;

import java.util.List;
import java.util.stream.Collectors;

/** A document could not be decoded; carries every error found, not just the first. */
public final class SpecException extends Exception {

    private final List<SpecProblem> problems;

    public SpecException(List<SpecProblem> problems) {
        super(problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public SpecException(String path, String message) {
        this(List.of(new SpecProblem(path, message, SpecProblem.Severity.ERROR)));
    }

    public List<SpecProblem> problems() {
        return problems;
    }
}
