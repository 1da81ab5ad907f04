package io.edgegate.dataplane.runtime;

import java.util.Arrays;

/**
 * Where the elements of a JSON array lie in a text: element {@code i} runs from
 * {@code starts[i]} (its first char) to {@code ends[i]} (just past its last).
 */
record ElementSpans(int[] starts, int[] ends) {

    static final ElementSpans NONE = new ElementSpans(new int[0], new int[0]);

    int count() {
        return starts.length;
    }

    /** The first element whose text reaches past {@code offset}; {@link #count} when none does. */
    int firstEndingAfter(int offset) {
        int i = 0;
        while (i < count() && ends[i] <= offset) {
            i++;
        }
        return i;
    }

    /** The last element whose text starts before {@code offset}; -1 when none does. */
    int lastStartingBefore(int offset) {
        int i = count() - 1;
        while (i >= 0 && starts[i] >= offset) {
            i--;
        }
        return i;
    }

    /** These spans with elements {@code from} to {@code to} (inclusive) replaced by {@code middle} and those after moved by {@code shift}. */
    ElementSpans replaced(int from, int to, ElementSpans middle, int shift) {
        int count = from + middle.count() + (count() - to - 1);
        int[] newStarts = new int[count];
        int[] newEnds = new int[count];
        System.arraycopy(starts, 0, newStarts, 0, from);
        System.arraycopy(ends, 0, newEnds, 0, from);
        System.arraycopy(middle.starts, 0, newStarts, from, middle.count());
        System.arraycopy(middle.ends, 0, newEnds, from, middle.count());
        for (int i = to + 1, j = from + middle.count(); i < count(); i++, j++) {
            newStarts[j] = starts[i] + shift;
            newEnds[j] = ends[i] + shift;
        }
        return new ElementSpans(newStarts, newEnds);
    }

    /** Collects spans in order. */
    static final class Builder {
        private int[] starts = new int[8];
        private int[] ends = new int[8];
        private int count;

        void add(int start, int end) {
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = start;
            ends[count] = end;
            count++;
        }

        ElementSpans build() {
            return new ElementSpans(Arrays.copyOf(starts, count), Arrays.copyOf(ends, count));
        }
    }
}
