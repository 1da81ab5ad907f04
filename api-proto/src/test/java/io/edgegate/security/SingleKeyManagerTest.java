package io.edgegate.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.security.Principal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/** The key a TLS handshake is offered, chosen as the JDK's SunX509 key manager chooses it. */
class SingleKeyManagerTest {

    private static final X509Bundle EC_CA = selfSigned(builder().subject("CN=ec-ca").setIsCertificateAuthority(true));
    private static final X509Bundle RSA_LEAF = build(builder().rsa2048().subject("CN=rsa.example"), EC_CA);

    private static CertificateBuilder builder() {
        Instant now = Instant.now();
        return new CertificateBuilder().ecp256().notBefore(now.minus(1, ChronoUnit.HOURS)).notAfter(now.plus(1, ChronoUnit.DAYS));
    }

    private static X509Bundle selfSigned(CertificateBuilder builder) {
        try {
            return builder.buildSelfSigned();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Bundle build(CertificateBuilder builder, X509Bundle issuer) {
        try {
            return builder.buildIssuedBy(issuer);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SingleKeyManager manager(X509Bundle leaf, X509Bundle... issuers) {
        List<java.security.cert.X509Certificate> chain = new java.util.ArrayList<>(List.of(leaf.getCertificate()));
        for (X509Bundle issuer : issuers) {
            chain.add(issuer.getCertificate());
        }
        return new SingleKeyManager("k", leaf.getKeyPair().getPrivate(), chain);
    }

    @Test
    void anRsaKeyIsOfferedForRsaKeyTypesOnly() {
        SingleKeyManager rsa = manager(RSA_LEAF);

        assertThat(rsa.chooseEngineServerAlias("RSA", null, null)).isEqualTo("k");
        assertThat(rsa.chooseEngineServerAlias("EC", null, null)).isNull();
        assertThat(rsa.chooseEngineClientAlias(new String[] {"EC", "RSA"}, null, null)).isEqualTo("k");
        assertThat(rsa.getServerAliases("EC", null)).isNull();
        assertThat(rsa.getPrivateKey("k")).isSameAs(RSA_LEAF.getKeyPair().getPrivate());
        assertThat(rsa.getCertificateChain("k")).containsExactly(RSA_LEAF.getCertificate());
        assertThat(rsa.getPrivateKey("other")).isNull();
        assertThat(rsa.getCertificateChain("other")).isNull();
    }

    @Test
    void aTls12KeyTypeNamesTheSignerOfTheCertificate() {
        // Signed by the EC CA: without the CA in the chain, the leaf's signature algorithm says so (SHA256withECDSA).
        assertThat(manager(RSA_LEAF).chooseEngineServerAlias("RSA_EC", null, null)).isEqualTo("k");
        assertThat(manager(RSA_LEAF).chooseEngineServerAlias("RSA_RSA", null, null)).isNull();
        // With the CA in the chain, its key's algorithm says so.
        assertThat(manager(RSA_LEAF, EC_CA).chooseEngineServerAlias("RSA_EC", null, null)).isEqualTo("k");
        assertThat(manager(RSA_LEAF, EC_CA).chooseEngineServerAlias("RSA_RSA", null, null)).isNull();
    }

    @Test
    void aPeerThatNamesItsIssuersGetsTheKeyOnlyWhenOneOfThemSignedTheChain() {
        SingleKeyManager ec = manager(build(builder().subject("CN=node"), EC_CA));
        Principal ours = EC_CA.getCertificate().getSubjectX500Principal();
        Principal stranger = new X500Principal("CN=someone-else");

        assertThat(ec.chooseEngineClientAlias(new String[] {"EC"}, new Principal[] {stranger, ours}, null)).isEqualTo("k");
        assertThat(ec.chooseEngineClientAlias(new String[] {"EC"}, new Principal[] {stranger}, null)).isNull();
        assertThat(ec.chooseEngineClientAlias(new String[] {"EC"}, new Principal[0], null)).isEqualTo("k");
    }
}
