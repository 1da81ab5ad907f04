package io.edgegate.dataplane.server;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static io.edgegate.dataplane.server.TlsTerminationTest.curlHttps;
import static io.edgegate.dataplane.server.TlsTerminationTest.httpsServer;
import static io.edgegate.dataplane.server.TlsTerminationTest.presentedSubject;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.security.TlsProvider;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.ExternalCommand;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The JDK's TLS, used where netty-tcnative does not load, serves the same: SNI, ALPN h2 and HTTP/1.1. */
class JdkTlsTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode(TlsProvider.JDK);

    @TempDir
    Path dir;

    private Path caFile(TestPki pki) throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, pki.caPem());
        return ca;
    }

    @Test
    void sniAndBothProtocolsWorkWithTheJdkProvider() throws Exception {
        TestPki pki = TestPki.create("jdk-test-ca");
        Path ca = caFile(pki);
        int port = FreePorts.pick();
        try (EchoBackend backend = EchoBackend.start("jdk")) {
            node.apply(httpsServer(port, List.of(pki.server("one.example"), pki.server("two.example")), ""),
                    proxyPipeline("p", "roundRobin", backend.url()));

            assertThat(presentedSubject(port, "two.example")).contains("CN = two.example");
            ExternalCommand.Result h2 = curlHttps(ca, "one.example", port, "--http2");
            ExternalCommand.Result h1 = curlHttps(ca, "one.example", port, "--http1.1");

            assertThat(h2.stdout()).as(h2.toString()).endsWith("200 2");
            assertThat(h1.stdout()).as(h1.toString()).endsWith("200 1.1");
        }
    }

    @Test
    void anRsaCertificateIsServedOverTls12And13WithTheJdkProvider() throws Exception {
        TestPki pki = TestPki.create("jdk-rsa-ca");
        Path ca = caFile(pki);
        int port = FreePorts.pick();
        try (EchoBackend backend = EchoBackend.start("jdk")) {
            node.apply(httpsServer(port, List.of(pki.serverRsa("rsa.example")), ""), proxyPipeline("p", "roundRobin", backend.url()));
            ExternalCommand.Result tls12 = curlHttps(ca, "rsa.example", port, "--http1.1", "--tlsv1.2", "--tls-max", "1.2");
            ExternalCommand.Result tls13 = curlHttps(ca, "rsa.example", port, "--http1.1", "--tlsv1.3");

            assertThat(tls12.stdout()).as(tls12.toString()).endsWith("200 1.1");
            assertThat(tls13.stdout()).as(tls13.toString()).endsWith("200 1.1");
        }
    }
}
