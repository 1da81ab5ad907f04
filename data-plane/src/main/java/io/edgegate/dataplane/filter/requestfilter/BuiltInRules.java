package io.edgegate.dataplane.filter.requestfilter;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A small rule set against the probes every public endpoint sees: SQL injection, cross-site
 * scripting and path traversal, matched on decoded request text. It is a first line, not a
 * full WAF: it aims at the common automated probes with few false positives.
 */
final class BuiltInRules {

    record Probe(String name, Pattern pattern) {
    }

    static final List<Probe> PROBES = List.of(
            new Probe("sql-injection", Pattern.compile(
                    "(?i)(\\bunion\\b[\\s(]+(all\\s+)?select\\b"
                            + "|'\\s*(or|and)\\s+'?\\w+'?\\s*=\\s*'?\\w+"
                            + "|\\b(sleep|benchmark|pg_sleep)\\s*\\(\\s*\\d"
                            + "|;\\s*(drop|truncate|delete|shutdown)\\s+\\w"
                            + "|\\bwaitfor\\s+delay\\b"
                            + "|\\binformation_schema\\b)")),
            new Probe("cross-site-scripting", Pattern.compile(
                    "(?i)(<\\s*script\\b|javascript\\s*:|<[^>]*\\bon(error|load|click|mouseover|focus)\\s*="
                            + "|<\\s*iframe\\b|<\\s*svg\\b[^>]*\\bonload\\b|\\bdocument\\.cookie\\b)")),
            new Probe("path-traversal", Pattern.compile(
                    "(\\.\\./|\\.\\.\\\\|/etc/(passwd|shadow)\\b|\\bboot\\.ini\\b|\\bwin\\.ini\\b)")));

    private BuiltInRules() {
    }
}
