package io.edgegate.spec;

import static io.edgegate.spec.SpecFixtures.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.SpecProblem;
import io.edgegate.spec.server.HttpServerSpec;
import io.edgegate.spec.server.tls.CertKeyPair;
import io.edgegate.spec.server.tls.TlsSpec;
import io.edgegate.testkit.TestPki;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsDecodeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki PKI = TestPki.create("decode-test-ca");
    private static final X509Bundle SHOP = PKI.server("shop.example", "www.shop.example");
    private static final X509Bundle API = PKI.server("*.api.example");

    @TempDir
    Path dir;

    /** An HTTPServer document with {@code fields} added (JSON is YAML, and keeps PEM newlines intact). */
    private static String server(Map<String, Object> fields) {
        ObjectNode node = JSON.createObjectNode().put("name", "s").put("kind", "HTTPServer").put("port", 8443);
        fields.forEach((k, v) -> node.set(k, JSON.valueToTree(v)));
        node.set("rules", JSON.valueToTree(java.util.List.of(Map.of("paths", java.util.List.of(Map.of("pathPrefix", "/", "backend", "p"))))));
        return node.toString();
    }

    private static TlsSpec tls(String yaml) throws SpecException {
        return ((HttpServerSpec) decode(yaml).spec()).tls().orElseThrow();
    }

    @Test
    void pairsAreMatchedByNameAndTheSinglePairComesFirst() throws SpecException {
        TlsSpec tls = tls(server(Map.of(
                "https", true,
                "certBase64", TestPki.base64(API.getCertificatePEM()),
                "keyBase64", TestPki.base64(API.getPrivateKeyPEM()),
                "certs", Map.of("shop", SHOP.getCertificatePEM()),
                "keys", Map.of("shop", SHOP.getPrivateKeyPEM()),
                "caCertBase64", TestPki.base64(PKI.caPem()))));

        assertThat(tls.pairs()).extracting(CertKeyPair::name).containsExactly("base64", "shop");
        assertThat(tls.clientCaPem()).hasValueSatisfying(pem -> assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----"));
    }

    @Test
    void httpsOffIgnoresCertificates() throws SpecException {
        HttpServerSpec server = (HttpServerSpec) decode(server(Map.of("https", false, "certs", Map.of("x", "junk")))).spec();

        assertThat(server.tls()).isEmpty();
    }

    @Test
    void badCertificatesAndKeysAreRefusedAtApplyWithTheReason() {
        String yaml = server(Map.of(
                "https", true,
                "certs", Map.of("shop", SHOP.getCertificatePEM(), "api", API.getCertificatePEM(), "lonely", SHOP.getCertificatePEM(),
                        "garbage", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                "keys", Map.of("shop", API.getPrivateKeyPEM(), "api", "not a key", "garbage", SHOP.getPrivateKeyPEM()),
                "caCertBase64", "%%%"));

        assertThatThrownBy(() -> decode(yaml))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).extracting(SpecProblem::toString)
                        .contains("keys.shop: is not the key of certificate 'shop' (CN=shop.example)",
                                "keys.api: is neither PEM text nor base64 of PEM text",
                                "keys: certificate 'lonely' in certs has no key of the same name in keys",
                                "caCertBase64: is neither PEM text nor base64 of PEM text")
                        .anySatisfy(m -> assertThat(m).startsWith("certs.garbage: is not a valid certificate")));
    }

    /** An Ed25519 pair would pass every check and then fail every handshake on the nodes' OpenSSL: refused with why. */
    @Test
    void anEd25519KeyIsRefusedAtApply() throws Exception {
        io.netty.pkitesting.X509Bundle ed = new io.netty.pkitesting.CertificateBuilder()
                .algorithm(io.netty.pkitesting.CertificateBuilder.Algorithm.ed25519).subject("CN=ed.example").setIsCertificateAuthority(true)
                .notBefore(java.time.Instant.now().minusSeconds(60)).notAfter(java.time.Instant.now().plusSeconds(3600))
                .buildSelfSigned();
        String yaml = server(Map.of("https", true, "certs", Map.of("ed", ed.getCertificatePEM()), "keys", Map.of("ed", ed.getPrivateKeyPEM())));

        assertThatThrownBy(() -> decode(yaml)).hasMessageContaining("keys.ed: is an Ed25519 key, which the nodes cannot serve");
    }

    @Test
    void httpsNeedsACertificate() {
        assertThatThrownBy(() -> decode(server(Map.of("https", true))))
                .hasMessageContaining("https: https: true needs a certificate");
    }

    @Test
    void traditionalRsaAndEcKeysAreAcceptedAsGoDoes() throws Exception {
        X509Bundle rsa = new io.netty.pkitesting.CertificateBuilder().rsa2048().subject("CN=rsa.example")
                .addSanDnsName("rsa.example").buildIssuedBy(PKI.ca());
        String pkcs1 = openssl(rsa.getPrivateKeyPEM(), "rsa", "-traditional");
        String sec1 = openssl(SHOP.getPrivateKeyPEM(), "ec");
        assertThat(pkcs1).contains("BEGIN RSA PRIVATE KEY");
        assertThat(sec1).contains("BEGIN EC PRIVATE KEY");

        TlsSpec tls = tls(server(Map.of(
                "https", true,
                "certs", Map.of("rsa", rsa.getCertificatePEM(), "ec", SHOP.getCertificatePEM()),
                "keys", Map.of("rsa", pkcs1, "ec", sec1))));

        assertThat(tls.pairs()).extracting(CertKeyPair::name).containsExactly("ec", "rsa");
    }

    private String openssl(String keyPem, String command, String... options) throws IOException, InterruptedException {
        Path in = dir.resolve("in.pem");
        Path out = dir.resolve("out.pem");
        Files.writeString(in, keyPem);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("openssl", command, "-in", in.toString(), "-out", out.toString()));
        args.addAll(java.util.List.of(options));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        return Files.readString(out);
    }
}
