package io.edgegate.egctl;

/** {@code -o table|yaml|json}. */
public enum OutputFormat {
    table,
    yaml,
    json
}
