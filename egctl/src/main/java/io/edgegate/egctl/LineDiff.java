package io.edgegate.egctl;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts, line by line, with three lines of context, as diff -u prints it.
 * The lines between the common start and end are matched by longest common subsequence; past
 * {@link #MAX_MATCHED_LINES} on a side (a table of tens of thousands of routes) they are shown as
 * removed and added whole rather than matched in quadratic time.
 */
final class LineDiff {

    private static final int CONTEXT = 3;
    private static final int MAX_MATCHED_LINES = 4_000;

    private LineDiff() {
    }

    /** The hunks, each starting with its {@code @@ -a,b +c,d @@} line; empty when the texts are equal. */
    static List<String> unified(List<String> before, List<String> after) {
        List<Edit> edits = edits(before, after);
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).kind == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            // Extend while the next change is within twice the context of this one.
            int end = i;
            int lastChange = i;
            while (end < edits.size() && (edits.get(end).kind != ' ' || end - lastChange <= 2 * CONTEXT)) {
                if (edits.get(end).kind != ' ') {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(edits.size(), lastChange + CONTEXT + 1);
            out.addAll(hunk(edits.subList(start, end)));
            i = end;
        }
        return out;
    }

    private record Edit(char kind, String line, int beforeLine, int afterLine) {
    }

    private static List<String> hunk(List<Edit> edits) {
        int beforeStart = -1;
        int afterStart = -1;
        int beforeCount = 0;
        int afterCount = 0;
        List<String> lines = new ArrayList<>();
        for (Edit edit : edits) {
            if (edit.kind != '+') {
                beforeCount++;
                if (beforeStart < 0) {
                    beforeStart = edit.beforeLine;
                }
            }
            if (edit.kind != '-') {
                afterCount++;
                if (afterStart < 0) {
                    afterStart = edit.afterLine;
                }
            }
            lines.add(edit.kind + edit.line);
        }
        // diff -u numbers an empty side by the line before it.
        String header = "@@ -" + range(beforeStart < 0 ? edits.get(0).beforeLine : beforeStart + 1, beforeCount)
                + " +" + range(afterStart < 0 ? edits.get(0).afterLine : afterStart + 1, afterCount) + " @@";
        lines.add(0, header);
        return lines;
    }

    private static String range(int start, int count) {
        return count == 1 ? String.valueOf(start) : start + "," + count;
    }

    /** Every line of both texts in order, marked ' ' (in both), '-' (only before) or '+' (only after), with its 0-based positions. */
    private static List<Edit> edits(List<String> before, List<String> after) {
        int prefix = 0;
        while (prefix < before.size() && prefix < after.size() && before.get(prefix).equals(after.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < before.size() - prefix && suffix < after.size() - prefix
                && before.get(before.size() - 1 - suffix).equals(after.get(after.size() - 1 - suffix))) {
            suffix++;
        }
        List<Edit> edits = new ArrayList<>();
        for (int i = 0; i < prefix; i++) {
            edits.add(new Edit(' ', before.get(i), i, i));
        }
        List<String> a = before.subList(prefix, before.size() - suffix);
        List<String> b = after.subList(prefix, after.size() - suffix);
        if (a.size() > MAX_MATCHED_LINES || b.size() > MAX_MATCHED_LINES) {
            for (int i = 0; i < a.size(); i++) {
                edits.add(new Edit('-', a.get(i), prefix + i, prefix));
            }
            for (int j = 0; j < b.size(); j++) {
                edits.add(new Edit('+', b.get(j), prefix + a.size(), prefix + j));
            }
        } else {
            middle(a, b, prefix, edits);
        }
        for (int k = 0; k < suffix; k++) {
            int i = before.size() - suffix + k;
            int j = after.size() - suffix + k;
            edits.add(new Edit(' ', before.get(i), i, j));
        }
        return edits;
    }

    /** Longest common subsequence of the differing middle, walked from the start. */
    private static void middle(List<String> a, List<String> b, int offset, List<Edit> edits) {
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                edits.add(new Edit(' ', a.get(i), offset + i, offset + j));
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
                // Removals before additions where either keeps the match, as diff prints them.
                edits.add(new Edit('-', a.get(i), offset + i, offset + j));
                i++;
            } else {
                edits.add(new Edit('+', b.get(j), offset + i, offset + j));
                j++;
            }
        }
    }
}
