package io.edgegate.dataplane.filter.staticfile;

import java.util.Optional;

/**
 * One byte range of a {@code Range: bytes=...} header, resolved against a file's size. Only a
 * single range is served as 206; a list of ranges gets the whole file, which HTTP allows.
 */
public record ByteRange(long first, long last) {

    /** What a Range header asks of a file of {@code size} bytes. */
    public sealed interface Request permits Whole, Partial, Unsatisfiable {
    }

    public record Whole() implements Request {
    }

    public record Partial(ByteRange range) implements Request {
    }

    public record Unsatisfiable() implements Request {
    }

    public long length() {
        return last - first + 1;
    }

    public static Request parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return new Whole();
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        Optional<Long> start = number(spec.substring(0, dash));
        Optional<Long> end = number(spec.substring(dash + 1));
        if (spec.substring(0, dash).isEmpty()) {
            // A suffix: the last N bytes.
            if (end.isEmpty()) {
                return new Whole();
            }
            long n = end.get();
            if (n == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Partial(new ByteRange(Math.max(0, size - n), size - 1));
        }
        if (start.isEmpty() || (!spec.substring(dash + 1).isEmpty() && end.isEmpty())) {
            return new Whole();
        }
        long first = start.get();
        long last = end.orElse(size - 1);
        if (end.isPresent() && last < first) {
            // Invalid as written: HTTP says to ignore it.
            return new Whole();
        }
        if (first >= size) {
            return new Unsatisfiable();
        }
        return new Partial(new ByteRange(first, Math.min(last, size - 1)));
    }

    private static Optional<Long> number(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.length() > 18) {
            return Optional.empty();
        }
        for (int i = 0; i < t.length(); i++) {
            if (!Character.isDigit(t.charAt(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(t));
    }
}
