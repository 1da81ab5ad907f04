package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.security.NodeIdentity;
import io.edgegate.security.Pem;
import io.edgegate.security.PkiDirectory;
import io.edgegate.security.TlsFiles;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.ManagedProcess;
import io.edgegate.testkit.TestPki;
import io.edgegate.testkit.TestTokens;
import io.netty.pkitesting.X509Bundle;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control surface of a real cluster (two control-plane replicas, two data planes, etcd) as
 * an attacker and as each role meets it: tokens across replicas, node identities, certificate
 * rotation under load, and secrets that never reach a log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {

    private static final String JWT_SECRET = "612d766572792d7365637265742d6b65792d666f722d74657374732d31323334";

    private ExampleSetup examples;
    private Cluster cluster;
    private Path dir;

    @BeforeAll
    void start(@TempDir Path dir) {
        this.dir = dir;
        examples = new ExampleSetup(dir.resolve("objects"));
        cluster = Cluster.start(dir.resolve("cluster"), 2, 2);
        EgctlRun applied = EgctlRun.inProcess(cluster.egctl(), examples.applyArgs());
        assertThat(applied.exit()).as(applied.toString()).isZero();
    }

    @AfterAll
    void stop() {
        cluster.close();
        examples.close();
    }

    private String token(String name, String role) {
        EgctlRun created = EgctlRun.inProcess(cluster.egctl(), "token", "create", "--role", role, "--name", name);
        assertThat(created.exit()).as(created.toString()).isZero();
        return created.out().strip();
    }

    private EgctlTarget as(int replica, String token) {
        return new EgctlTarget(cluster.server(replica), java.util.Optional.of(cluster.pki().caCertificate()),
                java.util.Optional.of(writeToken(token)));
    }

    private Path writeToken(String token) {
        try {
            Path file = java.nio.file.Files.createTempFile(dir, "token", "");
            java.nio.file.Files.writeString(file, token == null ? "" : token);
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void withoutATokenEgctlIsUnauthenticatedAndAViewerCanReadAndWatchButNotApply() throws Exception {
        EgctlRun anonymous = EgctlRun.inProcess(as(0, null), "get", "hp");
        assertThat(anonymous.exit()).isEqualTo(1);
        assertThat(anonymous.err()).startsWith("Error: unauthenticated");

        String viewer = token("e2e-viewer", "viewer");
        assertThat(EgctlRun.inProcess(as(1, viewer), "get", "hp").out()).contains("pipeline-reverse-proxy");
        CompletableFuture<EgctlRun> watching = CompletableFuture.supplyAsync(() -> EgctlRun.inProcess(as(0, viewer), "watch", "--timeout", "4s"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            EgctlRun changed = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(1, 2), "apply", "--wait", "-f", "-");
            assertThat(changed.exit()).as(changed.toString()).isZero();
            assertThat(watching.isDone()).isFalse();
        });
        EgctlRun watched = watching.get();
        assertThat(watched.exit()).as(watched.toString()).isZero();
        assertThat(watched.out()).contains("HTTPPipeline/pipeline-reverse-proxy configured").contains("node node-1 applied");

        EgctlRun apply = EgctlRun.launcher(as(0, viewer), "apply", "-f", examples.pipelineFile.toString());
        assertThat(apply.exit()).isEqualTo(1);
        assertThat(apply.err()).startsWith("Error: permission denied: role viewer cannot apply");
    }

    @Test
    void aRevokedTokenStopsWorkingWithinASecondOnEveryReplica() {
        String operator = token("e2e-operator", "operator");
        for (int replica = 0; replica < 2; replica++) {
            assertThat(EgctlRun.inProcess(as(replica, operator), "get", "hp").exit()).isZero();
        }
        assertThat(EgctlRun.inProcess(cluster.egctl(1), "token", "revoke", "e2e-operator").exit()).isZero();
        long revoked = System.nanoTime();
        for (int replica = 0; replica < 2; replica++) {
            int r = replica;
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).until(
                    () -> EgctlRun.inProcess(as(r, operator), "get", "hp").err().startsWith("Error: unauthenticated"));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void plaintextAndCertificatesOfOtherNodesOrOtherCasAreRefused() throws Exception {
        EgctlRun plaintext = EgctlRun.inProcess(EgctlTarget.insecure(cluster.server()), "get", "hp");
        assertThat(plaintext.exit()).isEqualTo(1);

        // node-2's certificate with another node's id: the control plane refuses the stream and never lists it.
        PkiDirectory pki = cluster.pki();
        TlsFiles node2 = PkiDirectory.bundleFiles(pki.nodeBundle("node-2"));
        try (ManagedProcess impostor = cluster.launch("impostor", List.of(ProjectPaths.bin("data-plane").toString(),
                "--node-id", "node-9", "--control-plane", cluster.server(), "--listen-address", "127.0.0.6",
                "--data-dir", dir.resolve("impostor").toString(),
                "--tls-cert", node2.certificate().get().toString(), "--tls-key", node2.key().get().toString(),
                "--tls-ca", pki.caCertificate().toString()))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> impostor.log().contains("PERMISSION_DENIED"));
            assertThat(impostor.log()).contains("this certificate names node node-2, not node-9");
            assertThat(EgctlRun.inProcess(cluster.egctl(), "get", "members").out()).doesNotContain("node-9");
        }

        // A node that expects the control plane under another name refuses its certificate.
        try (ManagedProcess misdirected = cluster.launch("misdirected", List.of(ProjectPaths.bin("data-plane").toString(),
                "--node-id", "node-2", "--control-plane", cluster.server(), "--control-plane-name", "cp.elsewhere.example",
                "--listen-address", "127.0.0.8", "--data-dir", dir.resolve("misdirected").toString(), "--pki-dir", pki.nodeBundle("node-2").toString()))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> misdirected.log().contains("cp.elsewhere.example"));
            assertThat(misdirected.log()).contains("No subject alternative DNS name matching cp.elsewhere.example").doesNotContain("connected to control plane");
        }

        // A certificate of another CA for a node of the cluster's name.
        PkiDirectory rogue = new PkiDirectory(dir.resolve("rogue-pki"));
        TlsFiles node8 = rogue.issueNode(NodeIdentity.DEFAULT_TRUST_DOMAIN, "node-8");
        try (ManagedProcess stranger = cluster.launch("stranger", List.of(ProjectPaths.bin("data-plane").toString(),
                "--node-id", "node-8", "--control-plane", cluster.server(), "--listen-address", "127.0.0.7",
                "--data-dir", dir.resolve("stranger").toString(),
                "--tls-cert", node8.certificate().get().toString(), "--tls-key", node8.key().get().toString(),
                "--tls-ca", pki.caCertificate().toString()))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> stranger.log().contains("config stream to"));
            assertThat(EgctlRun.inProcess(cluster.egctl(), "get", "members").out()).doesNotContain("node-8");
        }
    }

    @Test
    void rotatingANodesCertificateUnderLoadDropsNoRequestAndTheNodeReconnectsWithIt() throws Exception {
        PkiDirectory pki = cluster.pki();
        Path certificate = PkiDirectory.bundleFiles(pki.nodeBundle("node-1")).certificate().get();
        String before = serial(certificate);
        List<InetSocketAddress> node1 = List.of(new InetSocketAddress(cluster.address("node-1"), examples.port));
        try (LoadLoop load = LoadLoop.start(node1, "/pipeline", 2)) {
            await().until(() -> load.succeeded() > 50);
            pki.issueNode(NodeIdentity.DEFAULT_TRUST_DOMAIN, "node-1");
            String after = serial(certificate);
            assertThat(after).isNotEqualTo(before);
            await().atMost(Duration.ofSeconds(15)).until(() -> cluster.logs().contains("node node-1 connected")
                    && cluster.logs().contains("with certificate serial " + after));
            long served = load.succeeded();
            await().until(() -> load.succeeded() > served + 50);
            assertThat(load.failed()).as(load.problems().toString()).isZero();
        }
        assertThat(EgctlRun.inProcess(cluster.egctl(), "get", "members").out()).containsPattern("node-1\\s+\\S+\\s+Ready");
    }

    @Test
    void secretsAreNeverPrintedByGetAndNeverReachALog() throws Exception {
        X509Bundle certificate = TestPki.create("shop").server("shop.example");
        String key = TestPki.base64(certificate.getPrivateKeyPEM());
        int httpsPort = FreePorts.pickOnAll(ExampleSetup.NODE_ADDRESSES);
        String server = """
                kind: HTTPServer
                name: shop
                port: %d
                https: true
                certBase64: %s
                keyBase64: %s
                rules:
                - paths:
                  - pathPrefix: /
                    backend: jwt-demo
                """.formatted(httpsPort, TestPki.base64(certificate.getCertificatePEM()), key);
        String pipeline = ProjectPaths.example("filters/validator-jwt.yaml")
                .replace("http://127.0.0.1:9095", examples.backends.get(0).url());
        EgctlRun applied = EgctlRun.withStdin(cluster.egctl(), server + "---\n" + pipeline, "apply", "--wait", "-f", "-");
        assertThat(applied.exit()).as(applied.toString()).isZero();
        // A rejected edit that holds the secret as well: its error must not echo it.
        EgctlRun refused = EgctlRun.withStdin(cluster.egctl(), server.replace("port: " + httpsPort, "port: 99999"), "apply", "-f", "-");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).doesNotContain(key);

        EgctlRun yaml = EgctlRun.inProcess(cluster.egctl(), "get", "hs", "shop", "-o", "yaml");
        assertThat(yaml.out()).doesNotContain(key).contains("<redacted, sha256:");
        assertThat(EgctlRun.inProcess(cluster.egctl(), "get", "hp", "jwt-demo", "-o", "json").out()).doesNotContain(JWT_SECRET);
        assertThat(EgctlRun.inProcess(cluster.egctl(), "describe", "hp", "jwt-demo").out()).doesNotContain(JWT_SECRET);

        // The node uses the secret: a signed token passes, none is refused.
        int plainPort = FreePorts.pickOnAll(ExampleSetup.NODE_ADDRESSES);
        EgctlRun plain = EgctlRun.withStdin(cluster.egctl(), """
                kind: HTTPServer
                name: shop-plain
                port: %d
                rules:
                - paths:
                  - pathPrefix: /
                    backend: jwt-demo
                """.formatted(plainPort), "apply", "--wait", "-f", "-");
        assertThat(plain.exit()).as(plain.toString()).isZero();
        String jwt = TestTokens.hs256(TestTokens.claims("alice", 300), HexFormat.of().parseHex(JWT_SECRET));
        assertThat(cluster.request("node-1", plainPort, "/", "Authorization", "Bearer " + jwt, "X-Client", "web").statusCode())
                .isEqualTo(200);
        assertThat(cluster.request("node-1", plainPort, "/", "X-Client", "web").statusCode()).isEqualTo(401);

        String logs = cluster.allLogs();
        String pemBody = certificate.getPrivateKeyPEM().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThat(logs).doesNotContain(key).doesNotContain(pemBody).doesNotContain(JWT_SECRET).doesNotContain(jwt);
        assertThat(logs).doesNotContain(java.nio.file.Files.readString(cluster.adminTokenFile()).strip());
        EgctlRun.inProcess(cluster.egctl(), "delete", "hs", "shop", "shop-plain");
    }

    private static String serial(Path certificate) {
        return Pem.readCertificates(certificate).get(0).getSerialNumber().toString(16);
    }

}
