package io.edgegate.spec.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a multi-document YAML source at its {@code ---} and {@code ...} markers without
 * parsing it, so each document can be sent, validated and reported on by itself.
 * A marker only counts at the start of a line, where YAML defines it.
 */
public final class DocumentSplitter {

    private static final Pattern START = Pattern.compile("^---(\\s.*)?$");
    private static final Pattern END = Pattern.compile("^\\.\\.\\.\\s*$");

    private DocumentSplitter() {
    }

    public static List<SourceDocument> split(String source, String text) {
        List<SourceDocument> out = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        StringBuilder current = new StringBuilder();
        int firstLine = 1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean start = START.matcher(line).matches();
            if (start || END.matcher(line).matches()) {
                add(out, source, firstLine, current);
                current.setLength(0);
                firstLine = i + 2;
                String rest = start ? line.substring(3).trim() : "";
                if (!rest.isEmpty() && !rest.startsWith("#")) {
                    // "--- {name: a}" keeps content on the marker line.
                    current.append(rest).append('\n');
                    firstLine = i + 1;
                }
                continue;
            }
            current.append(line).append('\n');
        }
        add(out, source, firstLine, current);
        return out;
    }

    private static void add(List<SourceDocument> out, String source, int firstLine, StringBuilder text) {
        if (hasContent(text)) {
            out.add(new SourceDocument(source, out.size() + 1, firstLine, text.toString()));
        }
    }

    private static boolean hasContent(CharSequence text) {
        for (String line : text.toString().split("\n")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                return true;
            }
        }
        return false;
    }
}
