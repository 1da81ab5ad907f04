package io.edgegate.cli;

import io.edgegate.security.TlsFiles;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --tls-cert}, {@code --tls-key}, {@code --tls-ca}: a process's own certificate and the CA bundle it trusts (a picocli mixin). */
public final class TlsFileOptions {

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "This process's certificate (PEM).")
    private Path certificate;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "Its private key (PEM).")
    private Path key;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "CA bundle that verifies the other side (may hold two CAs during a rotation).")
    private Path ca;

    public TlsFileOptions() {
    }

    /** The options as given on a command line read without picocli (null: not given). */
    public TlsFileOptions(Path certificate, Path key, Path ca) {
        this.certificate = certificate;
        this.key = key;
        this.ca = ca;
    }

    /** The three files, if given; all three or none. */
    public Optional<TlsFiles> files() {
        if (certificate == null && key == null && ca == null) {
            return Optional.empty();
        }
        if (certificate == null || key == null || ca == null) {
            throw new IllegalArgumentException("--tls-cert, --tls-key and --tls-ca go together");
        }
        return Optional.of(TlsFiles.of(certificate, key, ca));
    }
}
