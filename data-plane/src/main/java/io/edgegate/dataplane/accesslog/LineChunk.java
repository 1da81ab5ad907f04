package io.edgegate.dataplane.accesslog;

/**
 * Whole access-log lines, one after another, handed from an event loop to the writer in one
 * piece: the writer then does one write and one queue operation per chunk, not per line.
 */
final class LineChunk {

    /**
     * Big enough that a busy loop hands over a chunk every millisecond or two, not per line; small
     * enough that the chunks in use stay in the cores' caches (a line written into memory that left
     * them costs its cache lines' reads first).
     */
    static final int SIZE = 16 * 1024;

    private final byte[] bytes;
    private int length;
    private int lines;

    LineChunk(int capacity) {
        this.bytes = new byte[capacity];
    }

    boolean fits(int lineLength) {
        return bytes.length - length >= lineLength;
    }

    /** Appends one line (ending in its newline); the caller made sure it {@link #fits}. */
    void add(byte[] line, int lineLength) {
        System.arraycopy(line, 0, bytes, length, lineLength);
        length += lineLength;
        lines++;
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    int lines() {
        return lines;
    }

    boolean isEmpty() {
        return lines == 0;
    }

    boolean reusable() {
        return bytes.length == SIZE;
    }

    void clear() {
        length = 0;
        lines = 0;
    }
}
