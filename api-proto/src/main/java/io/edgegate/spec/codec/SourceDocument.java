package io.edgegate.spec.codec;

import static java.util.Objects.requireNonNull;

/** One document of a (possibly multi-document) YAML or JSON source, with where it starts. */
public record SourceDocument(String source, int index, int firstLine, String text) {

    public SourceDocument {
        requireNonNull(source, "source");
        requireNonNull(text, "text");
    }

    /** How messages name this document: {@code pipeline.yaml, document 2}. */
    public String label() {
        return source + ", document " + index;
    }
}
