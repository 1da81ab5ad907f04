package io.edgegate.controlplane.etcd;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a log that another process appends to within two files: when it grows past a limit, its
 * content moves to {@code NAME.1} (replacing the one before) and the file is emptied in place, as
 * logrotate's {@code copytruncate} does. The writer keeps its descriptor, opened for appending, and
 * goes on at the start of the emptied file; a line written between the copy and the truncation is lost.
 */
final class LogRotation {

    private final Path file;
    private final long limitBytes;

    LogRotation(Path file, long limitBytes) {
        this.file = file;
        this.limitBytes = limitBytes;
    }

    /** Rotates when the file is larger than the limit; returns whether it did. */
    boolean rotateIfFull() throws IOException {
        if (!Files.exists(file) || Files.size(file) <= limitBytes) {
            return false;
        }
        Files.copy(file, previous(), StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        return true;
    }

    Path previous() {
        return file.resolveSibling(file.getFileName() + ".1");
    }
}
