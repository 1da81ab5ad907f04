package io.edgegate.security;

import java.nio.file.Path;

/** A certificate or key file that cannot be used, with the file named. */
public final class TlsFileException extends IllegalArgumentException {

    public TlsFileException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
