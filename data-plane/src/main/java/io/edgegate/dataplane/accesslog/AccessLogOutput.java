package io.edgegate.dataplane.accesslog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Where access-log lines go: only ever called from the log's own writer thread. */
public interface AccessLogOutput {

    /** Writes whole lines: {@code length} bytes of UTF-8, each line ending in a newline; the caller reuses the array once this returns. */
    void write(byte[] bytes, int length) throws IOException;

    /** Writes {@code line} and a newline. */
    default void write(CharSequence line) throws IOException {
        LineBuffer buffer = new LineBuffer(line.length() + 16);
        buffer.utf8(line).put('\n');
        write(buffer.bytes(), buffer.length());
    }

    void flush() throws IOException;

    void close();

    /** Standard output, e.g. for a container's log collector. */
    static AccessLogOutput stdout() {
        PrintStream out = System.out;
        return new AccessLogOutput() {
            @Override
            public void write(byte[] bytes, int length) {
                out.write(bytes, 0, length);
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                out.flush();
            }
        };
    }

    /** A file, opened by the writer thread (a FIFO may block there, never a caller), rotated by size keeping {@code keep} old ones. */
    static AccessLogOutput file(Path file, long maxBytes, int keep) {
        return new RotatingFile(file, maxBytes, keep);
    }

    /** {@code access.log} → {@code access.log.1} → … → {@code access.log.<keep>}, when the current one would pass {@code maxBytes}. */
    final class RotatingFile implements AccessLogOutput {

        private final Path file;
        private final long maxBytes;
        private final int keep;
        private FileChannel stream;
        /** Bytes go to the file from here: a heap array would be copied once more, into memory the JDK allocates per write. */
        private final ByteBuffer direct = ByteBuffer.allocateDirect(64 * 1024);
        private long size;
        /** When to look again whether someone moved the file away (once a second, not a stat per line). */
        private long checkMovedAtNanos;

        RotatingFile(Path file, long maxBytes, int keep) {
            this.file = file;
            this.maxBytes = maxBytes;
            this.keep = keep;
        }

        private boolean regular;

        @Override
        public void write(byte[] bytes, int length) throws IOException {
            if (stream != null && regular && System.nanoTime() - checkMovedAtNanos > 0) {
                checkMovedAtNanos = System.nanoTime() + 1_000_000_000L;
                if (!Files.exists(file)) {
                    // Moved or deleted by someone else (a logrotate without copytruncate): start a new file.
                    stream.close();
                    stream = null;
                }
            }
            if (stream == null) {
                open();
            }
            if (regular && size + length > maxBytes) {
                // Rotate between two lines, so no file passes its size (unless one line alone does).
                for (int from = 0; from < length; ) {
                    int end = from;
                    while (end < length && bytes[end++] != '\n') {
                        // up to and including the newline
                    }
                    append(bytes, from, end - from);
                    from = end;
                }
                return;
            }
            append(bytes, 0, length);
        }

        private void append(byte[] bytes, int from, int length) throws IOException {
            if (stream != null && regular && size > 0 && size + length > maxBytes) {
                rotate();
            }
            if (stream == null) {
                open();
            }
            for (int done = 0; done < length; ) {
                int piece = Math.min(direct.capacity(), length - done);
                direct.clear();
                direct.put(bytes, from + done, piece).flip();
                while (direct.hasRemaining()) {
                    stream.write(direct);
                }
                done += piece;
            }
            size += length;
        }

        private void open() throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            stream = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            regular = Files.isRegularFile(file);
            checkMovedAtNanos = System.nanoTime() + 1_000_000_000L;
            size = regular ? Files.size(file) : 0;
        }

        private void rotate() throws IOException {
            stream.close();
            stream = null;
            Files.deleteIfExists(numbered(keep));
            for (int i = keep - 1; i >= 1; i--) {
                if (Files.exists(numbered(i))) {
                    Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        }

        private Path numbered(int n) {
            return file.resolveSibling(file.getFileName() + "." + n);
        }

        /** Every write already went to the file (the kernel's page cache); nothing is held here. */
        @Override
        public void flush() {
        }

        @Override
        public void close() {
            try {
                if (stream != null) {
                    stream.close();
                }
            } catch (IOException e) {
                // Closing at shutdown: nothing left to tell.
            }
        }
    }
}
