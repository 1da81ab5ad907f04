package io.edgegate.spec.codec;

/** kubectl's --validate convention: refuse unknown keys, or report them and drop them. */
public enum ValidationMode {
    STRICT,
    WARN
}
