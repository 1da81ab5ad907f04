package io.edgegate.security;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes PEM certificates and private keys. Every failure names the file, because an
 * operator with five key files needs to know which one is wrong. Keys are written 0600.
 *
 * <p>Reading uses the JDK alone (through {@link io.edgegate.spec.server.tls.Pem}, which also reads
 * HTTPServer certificates): a data plane reading its node certificate then never loads
 * BouncyCastle, whose signed jars cost every process that touches them a verified class load
 * and ~3 MB of heap for their manifests. Only writing ({@link #encode}) goes through it.
 */
public final class Pem {

    private static final Pattern CERTIFICATE_BLOCK = Pattern.compile(
            "-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]*-----END CERTIFICATE-----");

    private Pem() {
    }

    /**
     * All certificates in a PEM file (a chain, or a CA bundle that may hold two CAs during a
     * rotation); other blocks in the file (a key beside its certificate) are passed over.
     */
    public static List<X509Certificate> readCertificates(Path file) {
        StringBuilder blocks = new StringBuilder();
        Matcher block = CERTIFICATE_BLOCK.matcher(read(file, "certificates"));
        while (block.find()) {
            blocks.append(block.group()).append('\n');
        }
        if (blocks.isEmpty()) {
            throw new TlsFileException(file, "holds no PEM certificate");
        }
        try {
            return List.copyOf(io.edgegate.spec.server.tls.Pem.certificates(blocks.toString()));
        } catch (IllegalArgumentException e) {
            throw new TlsFileException(file, e.getMessage());
        }
    }

    /** The private key of a PEM file: PKCS#8, or the older RSA (PKCS#1) and EC (SEC1) forms; unencrypted. */
    public static PrivateKey readPrivateKey(Path file) {
        String text = read(file, "the private key");
        try {
            return io.edgegate.spec.server.tls.Pem.privateKey(text);
        } catch (IllegalArgumentException e) {
            throw new TlsFileException(file, e.getMessage());
        }
    }

    /** Certificates and keys (as PKCS#8 {@code PRIVATE KEY}, which etcd, Netty and OpenSSL all read) as PEM text. */
    public static String encode(Object... items) {
        return PemWriter.encode(items);
    }

    /** Writes a public file (certificates): 0644. */
    public static void writePublic(Path file, String pem) throws IOException {
        write(file, pem, "rw-r--r--");
    }

    /** Writes a secret file (keys, tokens): 0600 from its creation, never readable by others even briefly. */
    public static void writeSecret(Path file, String text) throws IOException {
        write(file, text, "rw-------");
    }

    /** Creates a directory for secrets: 0700. */
    public static void createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private static void write(Path file, String text, String permissions) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create " + temp + ": it appeared while writing", e);
        }
        try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING)) {
            writer.write(text);
        }
        // A reader (a node re-reading its certificate) sees the old file or the new one, never half of one.
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A PEM file's text; ISO-8859-1 reads any bytes, so a stray comment cannot make a good file unreadable. */
    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new TlsFileException(file, "cannot read " + what + ": " + message(e));
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
