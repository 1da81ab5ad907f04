package io.edgegate.security;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Reads and writes PEM certificates and private keys. Every failure names the file, because an
 * operator with five key files needs to know which one is wrong. Keys are written 0600.
 */
public final class Pem {

    private Pem() {
    }

    /** All certificates in a PEM file (a chain, or a CA bundle that may hold two CAs during a rotation). */
    public static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new TlsFileException(file, "cannot read certificates: " + message(e));
        }
        if (certificates.isEmpty()) {
            throw new TlsFileException(file, "holds no PEM certificate");
        }
        return List.copyOf(certificates);
    }

    /** The private key of a PEM file, PKCS#8 or the older RSA/EC forms. */
    public static PrivateKey readPrivateKey(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsFileException(file, "cannot read the private key: " + message(e));
        }
        throw new TlsFileException(file, "holds no unencrypted PEM private key");
    }

    public static String encode(Object... items) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object item : items) {
                // Keys as PKCS#8 ("PRIVATE KEY"), which etcd, Netty and OpenSSL all read.
                writer.writeObject(item instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : item);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode PEM", e);
        }
        return text.toString();
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

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
