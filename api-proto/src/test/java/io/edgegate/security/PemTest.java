package io.edgegate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM files as the programs and operators write them, read back with the JDK alone. */
class PemTest {

    private static final CertificateAuthority CA = CertificateAuthority.create("pem test CA", Duration.ofDays(1));

    @TempDir
    Path dir;

    @Test
    void whatIsWrittenIsReadBack() throws Exception {
        IssuedCertificate node = CA.issueNode("edgegate.local", "edge-1", Duration.ofHours(1));
        node.writeTo(dir.resolve("node.pem"), dir.resolve("node-key.pem"));

        assertThat(Pem.readCertificates(dir.resolve("node.pem"))).containsExactly(node.certificate());
        PrivateKey key = Pem.readPrivateKey(dir.resolve("node-key.pem"));
        assertThat(key.getEncoded()).isEqualTo(node.key().getEncoded());
        assertThat(io.edgegate.spec.server.tls.Pem.pairs(key, node.certificate())).isTrue();
    }

    @Test
    void aFileWithAKeyBesideItsChainGivesTheCertificatesInOrderAndTheKey() throws Exception {
        IssuedCertificate server = CA.issueServer("cp", List.of("127.0.0.1"), Duration.ofHours(1));
        Path combined = dir.resolve("combined.pem");
        Files.writeString(combined, "# the server's key, certificate and CA\n" + Pem.encode(server.key())
                + Pem.encode(server.certificate()) + "\n" + Pem.encode(CA.certificate()), StandardCharsets.US_ASCII);

        assertThat(Pem.readCertificates(combined)).containsExactly(server.certificate(), CA.certificate());
        assertThat(Pem.readPrivateKey(combined).getEncoded()).isEqualTo(server.key().getEncoded());
    }

    @Test
    void aFileWithoutCertificatesOrKeysIsRefusedWithItsName() throws Exception {
        Path keyOnly = dir.resolve("key-only.pem");
        Files.writeString(keyOnly, Pem.encode(CA.issueClient("c", Duration.ofHours(1)).key()));
        Path certificateOnly = dir.resolve("cert-only.pem");
        Files.writeString(certificateOnly, Pem.encode(CA.certificate()));

        assertThatThrownBy(() -> Pem.readCertificates(keyOnly)).isInstanceOf(TlsFileException.class)
                .hasMessage(keyOnly + ": holds no PEM certificate");
        assertThatThrownBy(() -> Pem.readPrivateKey(certificateOnly)).isInstanceOf(TlsFileException.class)
                .hasMessageStartingWith(certificateOnly + ": ").hasMessageContaining("PRIVATE KEY");
        assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("missing.pem"))).isInstanceOf(TlsFileException.class)
                .hasMessageStartingWith(dir.resolve("missing.pem") + ": cannot read certificates");
    }

    @Test
    void aDamagedCertificateOrAnEncryptedKeyIsRefusedWithWhatIsWrong() throws Exception {
        Path damaged = dir.resolve("damaged.pem");
        Files.writeString(damaged, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Path encrypted = dir.resolve("encrypted.pem");
        Files.writeString(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

        assertThatThrownBy(() -> Pem.readCertificates(damaged)).isInstanceOf(TlsFileException.class)
                .hasMessageStartingWith(damaged + ": is not a valid certificate");
        assertThatThrownBy(() -> Pem.readPrivateKey(encrypted)).isInstanceOf(TlsFileException.class)
                .hasMessageStartingWith(encrypted + ": is an encrypted key");
    }
}
