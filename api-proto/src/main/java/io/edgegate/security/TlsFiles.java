package io.edgegate.security;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a process finds its TLS identity and whom it trusts: its certificate chain and key
 * (optional for a client that authenticates otherwise, e.g. egctl with a token) and the CA bundle
 * that verifies the other side.
 */
public record TlsFiles(Optional<Path> certificate, Optional<Path> key, Path ca) {

    public TlsFiles {
        if (certificate.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("a certificate needs its key and a key its certificate");
        }
    }

    public static TlsFiles of(Path certificate, Path key, Path ca) {
        return new TlsFiles(Optional.of(certificate), Optional.of(key), ca);
    }

    public static TlsFiles trustOnly(Path ca) {
        return new TlsFiles(Optional.empty(), Optional.empty(), ca);
    }

    /** Reads and checks every file: readable, the key belongs to the certificate, nothing expired. */
    public Loaded load(Instant now) {
        List<X509Certificate> all = Pem.readCertificates(ca);
        // A bundle during a rotation may still list a CA that expired: it is left out; all of them expired is an error.
        List<X509Certificate> cas = all.stream().filter(c -> !now.isAfter(c.getNotAfter().toInstant())).toList();
        if (cas.isEmpty()) {
            requireValid(all.get(0), ca, now);
        }
        if (certificate.isEmpty()) {
            return new Loaded(List.of(), Optional.empty(), cas);
        }
        List<X509Certificate> chain = Pem.readCertificates(certificate.get());
        PrivateKey privateKey = Pem.readPrivateKey(key.get());
        requireValid(chain.get(0), certificate.get(), now);
        requireMatching(chain.get(0), privateKey, certificate.get(), key.get());
        return new Loaded(chain, Optional.of(privateKey), cas);
    }

    /** What the files held when they were read. */
    public record Loaded(List<X509Certificate> chain, Optional<PrivateKey> key, List<X509Certificate> cas) {
    }

    static void requireValid(X509Certificate certificate, Path file, Instant now) {
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            throw new TlsFileException(file, "the certificate of " + certificate.getSubjectX500Principal().getName()
                    + " expired on " + certificate.getNotAfter().toInstant());
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new TlsFileException(file, "the certificate of " + certificate.getSubjectX500Principal().getName()
                    + " is not valid before " + certificate.getNotBefore().toInstant());
        }
    }

    /** Proves the key belongs to the certificate by signing with one and verifying with the other. */
    static void requireMatching(X509Certificate certificate, PrivateKey key, Path certificateFile, Path keyFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new TlsFileException(keyFile, "unsupported key algorithm " + key.getAlgorithm());
        };
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // Falls through: a key of another type than the certificate's is a mismatch as well.
        }
        throw new TlsFileException(keyFile, "this key does not belong to the certificate in " + certificateFile);
    }
}
