package io.edgegate.dataplane.accesslog;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Where access-log lines go: only ever called from the log's own writer thread. */
public interface AccessLogOutput {

    void write(String line) throws IOException;

    void flush() throws IOException;

    void close();

    /** Standard output, e.g. for a container's log collector. */
    static AccessLogOutput stdout() {
        PrintStream out = System.out;
        return new AccessLogOutput() {
            @Override
            public void write(String line) {
                out.println(line);
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
        private Writer writer;
        private long size;

        RotatingFile(Path file, long maxBytes, int keep) {
            this.file = file;
            this.maxBytes = maxBytes;
            this.keep = keep;
        }

        private boolean regular;

        @Override
        public void write(String line) throws IOException {
            long bytes = line.getBytes(StandardCharsets.UTF_8).length + 1L;
            if (writer != null && regular && !Files.exists(file)) {
                // Moved or deleted by someone else (a logrotate without copytruncate): start a new file.
                writer.close();
                writer = null;
            }
            if (writer != null && regular && size + bytes > maxBytes) {
                rotate();
            }
            if (writer == null) {
                open();
            }
            writer.write(line);
            writer.write('\n');
            size += bytes;
        }

        private void open() throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            writer = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8), 64 * 1024);
            regular = Files.isRegularFile(file);
            size = regular ? Files.size(file) : 0;
        }

        private void rotate() throws IOException {
            writer.close();
            writer = null;
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

        @Override
        public void flush() throws IOException {
            if (writer != null) {
                writer.flush();
            }
        }

        @Override
        public void close() {
            try {
                if (writer != null) {
                    writer.close();
                }
            } catch (IOException e) {
                // Closing at shutdown: nothing left to tell.
            }
        }
    }
}
