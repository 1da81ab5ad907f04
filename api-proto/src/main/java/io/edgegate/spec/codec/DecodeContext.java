package io.edgegate.spec.codec;

import java.util.ArrayList;
import java.util.List;

/** State of one decode call: the validation mode and the problems found so far. */
public final class DecodeContext {

    private final ValidationMode mode;
    private final List<SpecProblem> problems = new ArrayList<>();
    private final DecodeMemo memo;

    public DecodeContext(ValidationMode mode) {
        this(mode, DecodeMemo.NONE);
    }

    public DecodeContext(ValidationMode mode, DecodeMemo memo) {
        this.mode = mode;
        this.memo = memo;
    }

    DecodeMemo memo() {
        return memo;
    }

    int problemCount() {
        return problems.size();
    }

    public ValidationMode mode() {
        return mode;
    }

    public void error(String path, String message) {
        problems.add(new SpecProblem(path, message, SpecProblem.Severity.ERROR));
    }

    public void warning(String path, String message) {
        problems.add(new SpecProblem(path, message, SpecProblem.Severity.WARNING));
    }

    public int errorCount() {
        return (int) problems.stream().filter(p -> p.severity() == SpecProblem.Severity.ERROR).count();
    }

    public List<SpecProblem> errors() {
        return problems.stream().filter(p -> p.severity() == SpecProblem.Severity.ERROR).toList();
    }

    public List<SpecProblem> warnings() {
        return problems.stream().filter(p -> p.severity() == SpecProblem.Severity.WARNING).toList();
    }

    /** Throws when any error was recorded. */
    public void throwIfErrors() throws SpecException {
        List<SpecProblem> errors = errors();
        if (!errors.isEmpty()) {
            throw new SpecException(errors);
        }
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String element(String path, int index) {
        return path + "[" + index + "]";
    }
}
