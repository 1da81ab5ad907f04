package io.edgegate.template;

/**
 * A number from a JSON body, kept as its text (Go's {@code json.Number}, which Easegress's
 * {@code JSONBody} uses): printed as written, compared as a string.
 */
public record JsonNumber(String text) {

    @Override
    public String toString() {
        return text;
    }
}
