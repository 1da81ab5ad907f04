package io.edgegate.security;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate with its private key and the CA that signed it. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey key, X509Certificate issuer) {

    /** Writes the certificate (0644) and its key (0600); the files are replaced atomically, so a reader never sees half. */
    public void writeTo(Path certificateFile, Path keyFile) throws IOException {
        // Key first: a node that re-reads on a change of the certificate then finds the matching key.
        Pem.writeSecret(keyFile, Pem.encode(key));
        Pem.writePublic(certificateFile, Pem.encode(certificate));
    }
}
