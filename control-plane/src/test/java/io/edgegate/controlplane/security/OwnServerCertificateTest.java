package io.edgegate.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.security.Pem;
import io.edgegate.security.PkiDirectory;
import io.edgegate.security.ReloadingTls;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zero-flag control plane's certificate: kept while good, issued anew when due or when a host is missing. */
class OwnServerCertificateTest {

    @TempDir
    Path dir;

    @Test
    void aGoodCertificateIsKeptAndOneDueIsRenewedUnderTheSameCaForAPortThatRereadsItsFiles() throws Exception {
        PkiDirectory pki = new PkiDirectory(dir.resolve("pki"));
        List<String> hosts = List.of("127.0.0.1", "localhost", "::1", "cp.example");
        OwnServerCertificate own = new OwnServerCertificate(pki, "control-plane", hosts);

        assertThat(own.renewIfDue()).as("first start: none yet").isTrue();
        BigInteger first = serial(pki);
        ReloadingTls port = new ReloadingTls(own.files(), Clock.systemUTC());
        assertThat(own.renewIfDue()).as("valid for a year, names every host").isFalse();
        assertThat(serial(pki)).isEqualTo(first);

        // A margin longer than the certificate's life: as if it were now within 30 days of expiry.
        new OwnServerCertificate(pki, "control-plane", hosts, PkiDirectory.LEAF_VALIDITY.plusDays(1)).renewLogged();

        assertThat(serial(pki)).isNotEqualTo(first);
        assertThat(port.refresh()).as("the port takes the new certificate").isTrue();
        assertThat(port.certificate()).map(X509Certificate::getSerialNumber).hasValue(serial(pki));
        assertThat(port.certificate().get().getIssuerX500Principal())
                .isEqualTo(Pem.readCertificates(pki.caCertificate()).get(0).getSubjectX500Principal());
    }

    @Test
    void aHostAddedLaterGetsACertificateThatNamesIt() throws Exception {
        PkiDirectory pki = new PkiDirectory(dir.resolve("pki"));
        new OwnServerCertificate(pki, "control-plane", List.of("127.0.0.1", "::1")).renewIfDue();
        BigInteger first = serial(pki);

        OwnServerCertificate withSan = new OwnServerCertificate(pki, "control-plane", List.of("127.0.0.1", "0:0:0:0:0:0:0:1", "CP.example"));
        assertThat(withSan.renewIfDue()).isTrue();
        assertThat(serial(pki)).isNotEqualTo(first);
        assertThat(Pem.readCertificates(pki.certificate("control-plane")).get(0).getSubjectAlternativeNames())
                .extracting(entry -> String.valueOf(entry.get(1))).contains("CP.example");
        assertThat(new OwnServerCertificate(pki, "control-plane", List.of("::1", "cp.EXAMPLE")).renewIfDue())
                .as("the same hosts in other spellings").isFalse();
    }

    private static BigInteger serial(PkiDirectory pki) {
        return Pem.readCertificates(pki.certificate("control-plane")).get(0).getSerialNumber();
    }
}
