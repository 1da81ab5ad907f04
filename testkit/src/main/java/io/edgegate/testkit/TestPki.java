package io.edgegate.testkit;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/** Certificates for TLS tests: a CA per test class, server certificates for DNS names, client certificates. */
public final class TestPki {

    private static final String SUBJECT_ALT_NAME = "2.5.29.17";

    private final X509Bundle ca;

    private TestPki(X509Bundle ca) {
        this.ca = ca;
    }

    public static TestPki create(String caName) {
        try {
            X509Bundle ca = base().subject("CN=" + caName).setIsCertificateAuthority(true).buildSelfSigned();
            return new TestPki(ca);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a test CA", e);
        }
    }

    /** A server certificate for {@code dnsNames} (the first is the common name), issued by this CA. */
    public X509Bundle server(String... dnsNames) {
        return server(base(), dnsNames);
    }

    /** A server certificate for {@code dnsNames} valid from {@code notBefore} to {@code notAfter} (an expired one, say). */
    public X509Bundle serverValid(Instant notBefore, Instant notAfter, String... dnsNames) {
        return server(new CertificateBuilder().ecp256().notBefore(notBefore).notAfter(notAfter), dnsNames);
    }

    /** The same with an RSA key, as most certificates operators buy still have. */
    public X509Bundle serverRsa(String... dnsNames) {
        return server(base().rsa2048(), dnsNames);
    }

    private X509Bundle server(CertificateBuilder base, String... dnsNames) {
        try {
            CertificateBuilder builder = base.subject("CN=" + dnsNames[0])
                    .addExtendedKeyUsage(CertificateBuilder.ExtendedKeyUsage.PKIX_KP_SERVER_AUTH);
            // Built by hand: the builder's own SAN helper cannot take wildcard names.
            GeneralName[] names = new GeneralName[dnsNames.length];
            for (int i = 0; i < dnsNames.length; i++) {
                names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
            }
            builder.addExtensionOctetString(SUBJECT_ALT_NAME, false, new GeneralNames(names).getEncoded());
            return builder.buildIssuedBy(ca);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a server certificate", e);
        }
    }

    public X509Bundle client(String name) {
        try {
            return base().subject("CN=" + name)
                    .addExtendedKeyUsage(CertificateBuilder.ExtendedKeyUsage.PKIX_KP_CLIENT_AUTH)
                    .buildIssuedBy(ca);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a client certificate", e);
        }
    }

    public X509Bundle ca() {
        return ca;
    }

    public String caPem() {
        return ca.getCertificatePEM();
    }

    public static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    private static CertificateBuilder base() {
        Instant now = Instant.now();
        return new CertificateBuilder().ecp256()
                .notBefore(now.minus(1, ChronoUnit.HOURS))
                .notAfter(now.plus(1, ChronoUnit.DAYS));
    }
}
