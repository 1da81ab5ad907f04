package io.edgegate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates and CA bundles re-read when their files change, with a rotation's two CAs trusted at once. */
class ReloadingTlsTest {

    @TempDir
    Path dir;

    @Test
    void aBundleWithTheOldAndTheNewCaTrustsCertificatesOfBoth() throws Exception {
        PkiDirectory old = new PkiDirectory(dir.resolve("old"));
        PkiDirectory rotated = new PkiDirectory(dir.resolve("new"));
        X509Certificate fromOld = old.authority().issueNode("edgegate.local", "n1", PkiDirectory.LEAF_VALIDITY).certificate();
        X509Certificate fromNew = rotated.authority().issueNode("edgegate.local", "n2", PkiDirectory.LEAF_VALIDITY).certificate();
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, Files.readString(old.caCertificate()) + Files.readString(rotated.caCertificate()));

        ReloadingTls both = new ReloadingTls(TlsFiles.trustOnly(bundle), Clock.systemUTC());
        both.trustManager().checkClientTrusted(new X509Certificate[] {fromOld}, "ECDHE_ECDSA");
        both.trustManager().checkClientTrusted(new X509Certificate[] {fromNew}, "ECDHE_ECDSA");

        ReloadingTls onlyNew = new ReloadingTls(TlsFiles.trustOnly(rotated.caCertificate()), Clock.systemUTC());
        assertThatThrownBy(() -> onlyNew.trustManager().checkClientTrusted(new X509Certificate[] {fromOld}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void aChangedCertificateIsUsedAfterARefreshAndABrokenOneIsNot() throws Exception {
        PkiDirectory pki = new PkiDirectory(dir.resolve("pki"));
        TlsFiles files = pki.issueNode("edgegate.local", "n1");
        ReloadingTls tls = new ReloadingTls(files, Clock.systemUTC());
        AtomicInteger changes = new AtomicInteger();
        tls.onChange(changes::incrementAndGet);
        String alias = tls.keyManager().chooseEngineClientAlias(new String[] {"EC"}, null, null);
        java.math.BigInteger first = tls.certificate().orElseThrow().getSerialNumber();
        assertThat(tls.keyManager().getCertificateChain(alias)[0].getSerialNumber()).isEqualTo(first);
        assertThat(tls.refresh()).as("nothing changed").isFalse();

        pki.issueNode("edgegate.local", "n1");
        touch(files.certificate().get());
        assertThat(tls.refresh()).isTrue();
        java.math.BigInteger second = tls.certificate().orElseThrow().getSerialNumber();
        assertThat(second).isNotEqualTo(first);
        String newAlias = tls.keyManager().chooseEngineClientAlias(new String[] {"EC"}, null, null);
        assertThat(tls.keyManager().getCertificateChain(newAlias)[0].getSerialNumber()).as("new handshakes present it").isEqualTo(second);
        // A handshake that chose before the swap gets the chain and key of its own choice, never a mix.
        assertThat(tls.keyManager().getCertificateChain(alias)[0].getSerialNumber()).isEqualTo(first);
        assertThat(tls.keyManager().getCertificateChain(alias)[0].getPublicKey())
                .isNotEqualTo(tls.keyManager().getCertificateChain(newAlias)[0].getPublicKey());
        assertThat(changes.get()).isEqualTo(1);

        // Half a rotation (a key that no longer matches): the running process keeps what works.
        pki.authority().issueNode("edgegate.local", "n1", PkiDirectory.LEAF_VALIDITY)
                .writeTo(dir.resolve("other.pem"), files.key().get());
        touch(files.key().get());
        assertThat(tls.refresh()).isFalse();
        assertThat(tls.certificate().orElseThrow().getSerialNumber()).isEqualTo(second);
        assertThat(changes.get()).isEqualTo(1);
    }

    @Test
    void theFirstLoadIsStrictAndNamesTheFileAndTheExpiry() throws Exception {
        PkiDirectory pki = new PkiDirectory(dir.resolve("pki"));
        TlsFiles files = pki.issueNode("edgegate.local", "n1");
        Instant later = Instant.now().plus(PkiDirectory.LEAF_VALIDITY).plusSeconds(3600);
        assertThatThrownBy(() -> new ReloadingTls(files, Clock.fixed(later, java.time.ZoneOffset.UTC)))
                .isInstanceOf(TlsFileException.class)
                .hasMessageContaining(files.certificate().get().toString())
                .hasMessageContaining("expired on");
        Files.writeString(files.key().get(), "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> new ReloadingTls(files, Clock.systemUTC()))
                .isInstanceOf(TlsFileException.class)
                .hasMessageContaining(files.key().get().toString());
        assertThatThrownBy(() -> new ReloadingTls(TlsFiles.trustOnly(dir.resolve("missing.pem")), Clock.systemUTC()))
                .isInstanceOf(TlsFileException.class).hasMessageContaining("missing.pem");
    }

    @Test
    void aNodeCertificateNamesItsNodeAndNoOther() throws Exception {
        PkiDirectory pki = new PkiDirectory(dir.resolve("pki"));
        X509Certificate node = Pem.readCertificates(pki.issueNode("prod.example", "edge-7").certificate().get()).get(0);
        assertThat(NodeIdentity.nodeIdOf(node, "prod.example")).hasValue("edge-7");
        assertThat(NodeIdentity.nodeIdOf(node, "edgegate.local")).as("another trust domain").isEmpty();
        X509Certificate server = Pem.readCertificates(pki.issueServer("cp", List.of("127.0.0.1")).certificate().get()).get(0);
        assertThat(NodeIdentity.nodeIdOf(server, "prod.example")).isEmpty();
    }

    /** File times can be equal within one clock tick; a rotation tool changes them, so the test does too. */
    private static void touch(Path file) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(1)));
    }
}
