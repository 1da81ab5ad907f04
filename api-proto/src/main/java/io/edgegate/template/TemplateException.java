package io.edgegate.template;

/**
 * A template that cannot be parsed or executed, with where in its source: line and column
 * count from 1, as Go's {@code text/template} reports them.
 */
public final class TemplateException extends RuntimeException {

    private final int line;
    private final int column;

    public TemplateException(int line, int column, String message) {
        super("line " + line + ", column " + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
