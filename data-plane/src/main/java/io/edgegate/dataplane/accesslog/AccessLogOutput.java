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

    /**
     * Writes whole lines: {@code length} bytes of UTF-8, each line ending in a newline; the caller
     * reuses the array once this returns. An output may hold them until {@link #flush()}.
     */
    void write(byte[] bytes, int length) throws IOException;

    /** Writes {@code line} and a newline. */
    default void write(CharSequence line) throws IOException {
        LineBuffer buffer = new LineBuffer(line.length() + 16);
        buffer.utf8(line).put('\n');
        write(buffer.bytes(), buffer.length());
    }

    /** Hands whatever {@link #write} held to the file or stream. */
    void flush() throws IOException;

    /** Flushes what is held, then closes. */
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

    /**
     * {@code access.log} → {@code access.log.1} → … → {@code access.log.<keep>}, when the current one
     * would pass {@code maxBytes}. Lines are gathered in a buffer and go to the file at a flush or
     * when it is full: one system call for what the writer took at once, where one per chunk paid
     * a call and an update of the file's times for every 16 KB.
     */
    final class RotatingFile implements AccessLogOutput {

        /** What one write call takes at most: the writer's batch at tens of thousands of lines a second. */
        private static final int HELD_BYTES = 256 * 1024;

        private final Path file;
        private final long maxBytes;
        private final int keep;
        private FileChannel stream;
        /**
         * Lines not yet written, in memory outside the heap: a heap array would be copied once more,
         * into memory the JDK allocates per write. Only ever holds bytes while {@link #stream} is open.
         */
        private final ByteBuffer held = ByteBuffer.allocateDirect(HELD_BYTES);
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
                    // Moved or deleted by someone else (a logrotate without copytruncate): what is held goes to the
                    // file it was written for, then a new file starts.
                    try (FileChannel moved = stream) {
                        stream = null;
                        writeHeld(moved);
                    }
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
                if (!held.hasRemaining()) {
                    writeHeld();
                }
                int piece = Math.min(held.remaining(), length - done);
                held.put(bytes, from + done, piece);
                done += piece;
            }
            size += length;
        }

        /** Writes what is held; held bytes a failed write could not take are let go (the caller counts their lines). */
        private void writeHeld() throws IOException {
            writeHeld(stream);
        }

        private void writeHeld(FileChannel to) throws IOException {
            held.flip();
            try {
                while (held.hasRemaining()) {
                    to.write(held);
                }
            } finally {
                held.clear();
            }
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
            try (FileChannel full = stream) {
                stream = null;
                writeHeld(full);
            }
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

        /** To the kernel's page cache: a node that dies after this loses none of these lines, a host that dies may. */
        @Override
        public void flush() throws IOException {
            if (stream != null && held.position() > 0) {
                writeHeld();
            }
        }

        @Override
        public void close() {
            if (stream == null) {
                return;
            }
            try (FileChannel closing = stream) {
                flush();
            } catch (IOException e) {
                // Closing at shutdown: nothing left to tell.
            } finally {
                stream = null;
            }
        }
    }
}
