package io.edgegate.dataplane.filter.staticfile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Finds and opens the file a request names. Blocking file-system calls: run on the file-I/O
 * executor only. Symbolic links are followed only while they stay under the root.
 */
final class FileLookup {

    sealed interface Outcome permits Found, Missing, Directory {
    }

    /** An open file: the caller owns the channel. */
    record Found(FileChannel channel, String fileName, long size, long modifiedMillis) implements Outcome {
    }

    record Missing() implements Outcome {
    }

    /** A directory asked for without its trailing slash: the client is sent there, so relative links work. */
    record Directory() implements Outcome {
    }

    private FileLookup() {
    }

    static Outcome find(Path realRoot, RequestedPath requested, List<String> index) {
        try {
            Path target = realRoot;
            for (String segment : requested.segments()) {
                target = target.resolve(segment);
            }
            if (!Files.exists(target)) {
                return new Missing();
            }
            Path real = target.toRealPath();
            if (!real.startsWith(realRoot)) {
                return new Missing();
            }
            if (Files.isDirectory(real)) {
                if (!requested.trailingSlash() && !requested.segments().isEmpty()) {
                    return new Directory();
                }
                for (String name : index) {
                    Path candidate = real.resolve(name);
                    if (Files.isRegularFile(candidate) && candidate.toRealPath().startsWith(realRoot)) {
                        return open(candidate.toRealPath());
                    }
                }
                return new Missing();
            }
            if (!Files.isRegularFile(real) || requested.trailingSlash()) {
                return new Missing();
            }
            return open(real);
        } catch (IOException | SecurityException e) {
            return new Missing();
        }
    }

    private static Outcome open(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return new Found(channel, file.getFileName().toString(), attributes.size(), attributes.lastModifiedTime().toMillis());
    }
}
