package io.edgegate.dataplane.server;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.security.TlsProvider;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.ExternalCommand;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.TestPki;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.X509Bundle;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** TLS termination and HTTP/2 as clients see them: openssl s_client, curl and a JDK TLS socket. */
class TlsTerminationTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode(TlsProvider.AUTO);

    private static final TestPki PKI = TestPki.create("edgegate-test-ca");
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(20);
    private static EchoBackend backend;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        backend = EchoBackend.start("b");
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    static String httpsServer(int port, List<X509Bundle> certs, String extra) {
        StringBuilder yaml = new StringBuilder("""
                kind: HTTPServer
                name: tls
                port: %d
                https: true
                """.formatted(port)).append(extra);
        yaml.append("certs:\n");
        for (int i = 0; i < certs.size(); i++) {
            yaml.append("  c").append(i).append(": |\n").append(indent(certs.get(i).getCertificatePEM()));
        }
        yaml.append("keys:\n");
        for (int i = 0; i < certs.size(); i++) {
            yaml.append("  c").append(i).append(": |\n").append(indent(certs.get(i).getPrivateKeyPEM()));
        }
        yaml.append("""
                rules:
                - paths:
                  - pathPrefix: /
                    backend: p
                """);
        return yaml.toString();
    }

    private static String indent(String pem) {
        StringBuilder out = new StringBuilder();
        pem.lines().forEach(line -> out.append("    ").append(line).append('\n'));
        return out.toString();
    }

    /** The subject of the certificate a server presents to {@code serverName}, as openssl s_client prints it. */
    static String presentedSubject(int port, String serverName) {
        ExternalCommand.Result result = ExternalCommand.run(TOOL_TIMEOUT, List.of("openssl", "s_client",
                "-connect", "127.0.0.1:" + port, "-servername", serverName), "Q\n".getBytes(StandardCharsets.US_ASCII));
        return result.stdout().lines().filter(l -> l.startsWith("subject=")).findFirst()
                .orElseThrow(() -> new AssertionError("no certificate presented: " + result));
    }

    static Path caFile() throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, PKI.caPem());
        return ca;
    }

    static ExternalCommand.Result curl(String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-o", "-",
                "-w", "\n%{http_code} %{http_version}"));
        command.addAll(List.of(args));
        return ExternalCommand.run(TOOL_TIMEOUT, command);
    }

    @Test
    void theOpenSslProviderLoadsHere() {
        assertThat(TlsProvider.AUTO.netty()).isEqualTo(SslProvider.OPENSSL);
    }

    /** A renewed certificate added beside the old one for the same name serves at once; an expired one never does. */
    @Test
    void ofTwoCertificatesForOneNameTheValidNewerOneServes() throws Exception {
        int port = FreePorts.pick();
        java.time.Instant now = java.time.Instant.now();
        X509Bundle expired = PKI.serverValid(now.minus(java.time.Duration.ofDays(30)), now.minus(java.time.Duration.ofDays(1)), "renew.example");
        X509Bundle renewed = PKI.serverValid(now.minus(java.time.Duration.ofHours(1)), now.plus(java.time.Duration.ofDays(90)), "renew.example");
        node.apply(httpsServer(port, List.of(expired, renewed), ""), proxyPipeline("p", "roundRobin", backend.url()));

        ExternalCommand.Result served = ExternalCommand.run(TOOL_TIMEOUT, List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "renew.example"), "Q\n".getBytes(StandardCharsets.US_ASCII));
        String notAfter = served.stdout().lines().filter(l -> l.contains("NotAfter")).findFirst().orElse(served.stdout());

        assertThat(notAfter).as(served.toString()).contains(String.valueOf(java.time.ZonedDateTime.ofInstant(
                renewed.getCertificate().getNotAfter().toInstant(), java.time.ZoneOffset.UTC).getYear()));
        assertThat(served.stdout()).doesNotContain("certificate has expired");
    }

    /** Plain HTTP on the HTTPS port is told so, as Go's server (Easegress) and NGINX tell it, not just disconnected. */
    @Test
    void plainHttpOnTheHttpsPortIsAnswered400() throws Exception {
        int port = FreePorts.pick();
        node.apply(httpsServer(port, List.of(PKI.server("shop.example")), ""), proxyPipeline("p", "roundRobin", backend.url()));

        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: shop.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

            assertThat(answer).startsWith("HTTP/1.0 400 Bad Request").contains("Client sent an HTTP request to an HTTPS server.");
        }
    }

    @Test
    void twoHostnamesOnOnePortGetTheirOwnCertificates() throws Exception {
        int port = FreePorts.pick();
        node.apply(httpsServer(port, List.of(PKI.server("shop.example"), PKI.server("*.api.example")), ""),
                proxyPipeline("p", "roundRobin", backend.url()));

        assertThat(presentedSubject(port, "shop.example")).contains("CN = shop.example");
        assertThat(presentedSubject(port, "v1.api.example")).contains("CN = *.api.example");
        // An unknown name gets the first certificate, as Go's TLS does.
        assertThat(presentedSubject(port, "unknown.example")).contains("CN = shop.example");
        // Each served certificate's expiry is a gauge, by server and certificate name.
        X509Bundle shop = PKI.server("shop.example");
        node.apply(httpsServer(port, List.of(shop), ""), proxyPipeline("p", "roundRobin", backend.url()));
        assertThat(gauge("edgegate_tls_certificate_expiry_seconds", "certificate=\"c0\"", "server=\"tls\""))
                .isEqualTo((double) shop.getCertificate().getNotAfter().toInstant().getEpochSecond());
        assertThat(node.scrape()).doesNotContain("certificate=\"c1\"");
    }

    @Test
    void turningHttpsOnClosesThePlaintextConnectionsOfThePort() throws Exception {
        int port = FreePorts.pick();
        String plaintext = httpsServer(port, List.of(), "").replace("https: true\n", "").replace("certs:\nkeys:\n", "");
        node.apply(plaintext, proxyPipeline("p", "roundRobin", backend.url()));
        try (RawClient kept = new RawClient(port)) {
            assertThat(kept.get("/")).startsWith("HTTP/1.1 200");

            node.apply(httpsServer(port, List.of(PKI.server("shop.example")), ""), proxyPipeline("p", "roundRobin", backend.url()));

            assertThat(kept.isClosedByPeer()).as("a keep-alive connection made before HTTPS was required").isTrue();
        }
        assertThat(curlHttps(caFile(), "shop.example", port, "--http1.1").stdout()).endsWith("200 1.1");
    }

    @Test
    void anRsaCertificateIsServedOverTls12And13() throws Exception {
        int port = FreePorts.pick();
        node.apply(httpsServer(port, List.of(PKI.serverRsa("rsa.example")), ""), proxyPipeline("p", "roundRobin", backend.url()));

        assertThat(curlHttps(caFile(), "rsa.example", port, "--http1.1", "--tlsv1.2", "--tls-max", "1.2").stdout()).endsWith("200 1.1");
        assertThat(curlHttps(caFile(), "rsa.example", port, "--http1.1", "--tlsv1.3").stdout()).endsWith("200 1.1");
    }

    /** curl to https://{@code host}:{@code port}/ on this machine, trusting {@code ca}, with {@code options}. */
    static ExternalCommand.Result curlHttps(Path ca, String host, int port, String... options) {
        List<String> args = new ArrayList<>(List.of("--cacert", ca.toString(), "--resolve", host + ":" + port + ":127.0.0.1"));
        args.addAll(List.of(options));
        args.add("https://" + host + ":" + port + "/");
        return curl(args.toArray(String[]::new));
    }

    @Test
    void curlSpeaksHttp2AndHttp11OverTlsAndTheUpstreamLearnsTheScheme() throws Exception {
        int port = FreePorts.pick();
        node.apply(httpsServer(port, List.of(PKI.server("shop.example")), ""),
                proxyPipeline("p", "roundRobin", backend.url()));
        String resolve = "shop.example:" + port + ":127.0.0.1";
        String url = "https://shop.example:" + port + "/hello?x=1";

        ExternalCommand.Result h2 = curl("--http2", "--cacert", caFile().toString(), "--resolve", resolve, url);
        ExternalCommand.Result h1 = curl("--http1.1", "--cacert", caFile().toString(), "--resolve", resolve, url);

        assertThat(h2.stdout()).as(h2.toString()).endsWith("200 2");
        assertThat(h1.stdout()).as(h1.toString()).endsWith("200 1.1");
        assertThat(backend.received()).anySatisfy(r -> {
            assertThat(r.uri()).isEqualTo("/hello?x=1");
            assertThat(r.header("X-Forwarded-Proto")).isEqualTo("https");
        });
    }

    @Test
    void curlSpeaksHttp2WithPriorKnowledgeInCleartext() throws Exception {
        int port = FreePorts.pick();
        node.apply(LocalNode.server("plain", port, "p"), proxyPipeline("p", "roundRobin", backend.url()));

        ExternalCommand.Result h2c = curl("--http2-prior-knowledge", "http://127.0.0.1:" + port + "/h2c");
        ExternalCommand.Result post = curl("--http2-prior-knowledge", "--data-binary", "hello body",
                "http://127.0.0.1:" + port + "/h2c-post");
        ExternalCommand.Result h1 = curl("http://127.0.0.1:" + port + "/h1");

        assertThat(h2c.stdout()).as(h2c.toString()).endsWith("200 2");
        assertThat(post.stdout()).as(post.toString()).endsWith("200 2");
        assertThat(backend.received()).anySatisfy(r -> assertThat(r.body()).isEqualTo("hello body"));
        assertThat(h1.stdout()).as(h1.toString()).endsWith("200 1.1");
    }

    @Test
    void aReplacedCertificateServesNewConnectionsWhileAnOpenOneKeepsGoing() throws Exception {
        int port = FreePorts.pick();
        X509Bundle first = PKI.server("swap.example");
        X509Bundle second = PKI.server("swap.example");
        node.apply(httpsServer(port, List.of(first), ""), proxyPipeline("p", "roundRobin", backend.url()));

        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, PKI.ca().toTrustManagerFactory().getTrustManagers(), null);
        try (SSLSocket old = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
            SSLParameters params = old.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName("swap.example")));
            old.setSSLParameters(params);
            BufferedReader in = new BufferedReader(new InputStreamReader(old.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = old.getOutputStream();
            assertThat(exchange(in, out)).startsWith("HTTP/1.1 200");
            X509Certificate before = (X509Certificate) old.getSession().getPeerCertificates()[0];
            assertThat(before).isEqualTo(first.getCertificate());

            node.apply(httpsServer(port, List.of(second), ""), proxyPipeline("p", "roundRobin", backend.url()));

            assertThat(exchange(in, out)).startsWith("HTTP/1.1 200");
            assertThat(old.getSession().getPeerCertificates()[0]).isEqualTo(first.getCertificate());
        }
        try (SSLSocket fresh = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
            fresh.startHandshake();
            assertThat(fresh.getSession().getPeerCertificates()[0]).isEqualTo(second.getCertificate());
        }
    }

    @Test
    void mutualTlsRefusesAClientWithoutACertificate() throws Exception {
        int port = FreePorts.pick();
        node.apply(httpsServer(port, List.of(PKI.server("mtls.example")), "caCertBase64: " + TestPki.base64(PKI.caPem()) + "\n"),
                proxyPipeline("p", "roundRobin", backend.url()));
        X509Bundle client = PKI.client("trusted-client");
        Path cert = dir.resolve("client.pem");
        Path key = dir.resolve("client-key.pem");
        Files.writeString(cert, client.getCertificatePEM());
        Files.writeString(key, client.getPrivateKeyPEM());
        String resolve = "mtls.example:" + port + ":127.0.0.1";
        String url = "https://mtls.example:" + port + "/secret";

        ExternalCommand.Result without = curl("--cacert", caFile().toString(), "--resolve", resolve, url);
        ExternalCommand.Result with = curl("--cacert", caFile().toString(), "--cert", cert.toString(), "--key", key.toString(),
                "--resolve", resolve, url);

        assertThat(without.exitCode()).as(without.toString()).isNotZero();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> gauge("edgegate_http_connections_refused_total", "reason=\"tls\"", "server=\"tls\"") >= 1);
        assertThat(without.stdout()).doesNotContain("200");
        assertThat(with.stdout()).as(with.toString()).endsWith("200 2");
    }

    @Test
    void certExtractorSendsTheClientCertificatesNamesUpstream() throws Exception {
        int port = FreePorts.pick();
        node.apply(httpsServer(port, List.of(PKI.server("mtls.example")), "caCertBase64: " + TestPki.base64(PKI.caPem()) + "\n")
                        .replace("backend: p", "backend: cert-extractor"),
                io.edgegate.dataplane.LocalNode.example("filters/cert-extractor.yaml", backend.url()));
        X509Bundle client = PKI.client("alice-laptop");
        Path cert = dir.resolve("alice.pem");
        Path key = dir.resolve("alice-key.pem");
        Files.writeString(cert, client.getCertificatePEM());
        Files.writeString(key, client.getPrivateKeyPEM());
        int before = backend.received().size();

        ExternalCommand.Result with = curl("--cacert", caFile().toString(), "--cert", cert.toString(), "--key", key.toString(),
                "-H", "X-Client-CN: admin", "--resolve", "mtls.example:" + port + ":127.0.0.1", "https://mtls.example:" + port + "/who");

        assertThat(with.stdout()).as(with.toString()).endsWith("200 2");
        EchoBackend.ReceivedRequest received = backend.received().get(before);
        assertThat(received.header("X-Client-CN")).as("the certificate's name only, not the one the client claimed")
                .isEqualTo("alice-laptop");
        assertThat(received.header("tls-issuer-CommonName")).isEqualTo("edgegate-test-ca");
    }

    /** The value of the series of {@code name} with all of {@code labels} in the node's scrape (NaN when there is none). */
    private static double gauge(String name, String... labels) {
        for (String line : node.scrape().split("\n")) {
            if (line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    private static String exchange(BufferedReader in, OutputStream out) throws Exception {
        out.write("GET /kept HTTP/1.1\r\nHost: swap.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = in.readLine();
        int length = 0;
        String line;
        while (!(line = in.readLine()).isEmpty()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.skip(length);
        return status;
    }
}
