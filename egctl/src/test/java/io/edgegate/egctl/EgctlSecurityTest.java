package io.edgegate.egctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.controlplane.ControlPlane;
import io.edgegate.controlplane.security.ControlPlaneSecurity;
import io.edgegate.security.PkiDirectory;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.TestPki;
import io.netty.pkitesting.X509Bundle;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** egctl against a control plane with TLS and tokens: roles, tokens, contexts, the PKI tool and secrets, as printed. */
class EgctlSecurityTest {

    @TempDir
    static Path state;

    private static ControlPlane controlPlane;
    private static String server;
    private static PkiDirectory pki;
    private static Path adminTokenFile;
    private static String adminToken;

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        pki = new PkiDirectory(state.resolve("pki"));
        adminTokenFile = state.resolve("admin.token");
        controlPlane = ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", FreePorts.pick()),
                ControlPlaneSecurity.tls(pki.issueServer("control-plane", List.of("127.0.0.1", "localhost")), adminTokenFile));
        controlPlane.cache().ready().get(20, TimeUnit.SECONDS);
        server = "127.0.0.1:" + controlPlane.port();
        adminToken = Files.readString(adminTokenFile).strip();
    }

    @AfterAll
    static void stop() {
        controlPlane.close();
    }

    private static Run egctl(Map<String, String> env, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> environment = new HashMap<>(env);
        environment.putIfAbsent("EGCTL_CONFIG", state.resolve("unused-config.yaml").toString());
        int exit = Egctl.run(args, new Terminal(new PrintWriter(out), new PrintWriter(err),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), environment));
        return new Run(exit, out.toString(), err.toString());
    }

    private static Map<String, String> as(String token) {
        Map<String, String> env = new HashMap<>(Map.of("EGCTL_SERVER", server, "EGCTL_CA", pki.caCertificate().toString()));
        if (token != null) {
            env.put("EGCTL_TOKEN", token);
        }
        return env;
    }

    private static String newToken(String name, String role) {
        Run created = egctl(as(adminToken), "", "token", "create", "--role", role, "--name", name);
        assertThat(created.exit()).as(created.toString()).isZero();
        return created.out().strip();
    }

    @Test
    void tokenCreatePrintsTheTokenAloneOnItsLineAndListNeverShowsSecrets() {
        Run created = egctl(as(adminToken), "", "token", "create", "--role", "viewer", "--name", "ci-reader", "--ttl", "24h");
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out()).matches("egt_ci-reader\\.[A-Za-z0-9_-]{43}\n");
        assertThat(created.err()).contains("role viewer").contains("cannot be shown again");

        Run list = egctl(as(adminToken), "", "token", "list");
        assertThat(list.out()).containsPattern("NAME\\s+ROLE\\s+CREATED\\s+EXPIRES")
                .containsPattern("bootstrap-admin\\s+admin\\s+\\S+\\s+never")
                .containsPattern("ci-reader\\s+viewer")
                .doesNotContain(created.out().strip().substring(14)).doesNotContain(adminToken.substring(21));
        assertThat(egctl(as(created.out().strip()), "", "token", "whoami").out()).isEqualTo("ci-reader (viewer)\n");
    }

    @Test
    void withoutATokenEgctlSaysItIsUnauthenticatedAndHowToGetOne() {
        Run run = egctl(as(null), "", "get", "hp");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("Error: unauthenticated: no token").contains("egctl token create");
    }

    @Test
    void aViewerCanReadButNotWriteAndARevokedTokenStopsWorking() {
        String viewer = newToken("viewer-1", "viewer");
        assertThat(egctl(as(viewer), "", "get", "hp").exit()).isZero();
        assertThat(egctl(as(viewer), "", "get", "members").exit()).isZero();

        Run members = egctl(as(viewer), "", "get", "members", "-o", "json");
        assertThat(members.out()).contains("\"insecure\" : false");
        assertThat(members.err()).doesNotContain("insecure");

        Run apply = egctl(as(viewer), TestDocuments.PIPELINE, "apply", "-f", "-");
        assertThat(apply.exit()).isEqualTo(1);
        assertThat(apply.err()).startsWith("Error: permission denied: role viewer cannot apply");
        Run tokens = egctl(as(viewer), "", "token", "list");
        assertThat(tokens.err()).startsWith("Error: permission denied: role viewer cannot list tokens");

        assertThat(egctl(as(adminToken), "", "token", "revoke", "viewer-1").out()).isEqualTo("token viewer-1 revoked\n");
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(egctl(as(viewer), "", "get", "hp").err()).startsWith("Error: unauthenticated"));
        assertThat(egctl(as(adminToken), "", "token", "revoke", "viewer-1").err()).contains("no token named 'viewer-1'");
    }

    @Test
    void contextsCarryServerCaAndTokenAndFlagsAndEnvironmentWin() throws Exception {
        Path config = state.resolve("contexts.yaml");
        Path operatorFile = state.resolve("operator.token");
        Files.writeString(operatorFile, newToken("ops", "operator") + "\n");
        Map<String, String> onlyConfig = Map.of("EGCTL_CONFIG", config.toString());

        Run set = egctl(onlyConfig, "", "config", "set-context", "prod", "--server", server, "--ca", pki.caCertificate().toString(),
                "--token-file", operatorFile.toString(), "--use");
        assertThat(set.exit()).as(set.toString()).isZero();
        egctl(onlyConfig, "", "config", "set-context", "elsewhere", "--server", "127.0.0.1:" + FreePorts.pick());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");

        assertThat(egctl(onlyConfig, "", "token", "whoami").out()).isEqualTo("ops (operator)\n");
        assertThat(egctl(onlyConfig, "", "config", "get-contexts").out())
                .containsPattern("\\*\\s+prod\\s+" + server).containsPattern("\\s+elsewhere\\s+");
        assertThat(egctl(onlyConfig, "", "config", "current-context").out()).isEqualTo("prod\n");

        Map<String, String> withEnvToken = new HashMap<>(onlyConfig);
        withEnvToken.put("EGCTL_TOKEN", adminToken);
        assertThat(egctl(withEnvToken, "", "token", "whoami").out()).isEqualTo("bootstrap-admin (admin)\n");
        assertThat(egctl(withEnvToken, "", "--token-file", operatorFile.toString(), "token", "whoami").out()).isEqualTo("ops (operator)\n");

        assertThat(egctl(onlyConfig, "", "--context", "elsewhere", "get", "hp").err()).contains("cannot reach the control plane");
        assertThat(egctl(onlyConfig, "", "config", "use-context", "elsewhere").out()).isEqualTo("Switched to context \"elsewhere\".\n");
        assertThat(egctl(onlyConfig, "", "config", "current-context").out()).isEqualTo("elsewhere\n");
        Run unknown = egctl(onlyConfig, "", "config", "use-context", "nope");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no context named 'nope'");
    }

    @Test
    void carelessSettingsGetClearErrorsAndChangeNothing(@TempDir Path work) throws Exception {
        Path broken = Files.writeString(work.resolve("broken.yaml"), "currentContext: [unclosed\n");
        Run unreadable = egctl(Map.of("EGCTL_CONFIG", broken.toString()), "", "get", "hp");
        assertThat(unreadable.exit()).isEqualTo(1);
        assertThat(unreadable.err()).startsWith("Error: cannot read the egctl config " + broken);

        Path typo = Files.writeString(work.resolve("typo.yaml"), "currentContext: a\ncontexts:\n- {name: a, sever: x}\n");
        assertThat(egctl(Map.of("EGCTL_CONFIG", typo.toString()), "", "get", "hp").err()).contains("sever");

        Path config = work.resolve("contexts.yaml");
        Run noServer = egctl(Map.of("EGCTL_CONFIG", config.toString()), "", "config", "set-context", "c");
        assertThat(noServer.exit()).isEqualTo(1);
        assertThat(noServer.err()).contains("a context needs --server");
        assertThat(config).doesNotExist();

        Path empty = Files.writeString(work.resolve("empty.token"), "\n");
        Map<String, String> env = as(null);
        Run emptyToken = egctl(env, "", "--token-file", empty.toString(), "get", "hp");
        assertThat(emptyToken.err()).startsWith("Error: unauthenticated");
        Run missingFile = egctl(env, "", "--token-file", work.resolve("nope").toString(), "get", "hp");
        assertThat(missingFile.err()).startsWith("Error: cannot read the token file");
        Run missingCa = egctl(Map.of("EGCTL_SERVER", server, "EGCTL_CA", work.resolve("nope.pem").toString()), "", "get", "hp");
        assertThat(missingCa.exit()).isEqualTo(1);
        assertThat(missingCa.err()).contains("nope.pem");

        Run badRole = egctl(as(adminToken), "", "token", "create", "--role", "root", "--name", "x");
        assertThat(badRole.err()).contains("unknown role 'root'");
        Run badName = egctl(as(adminToken), "", "token", "create", "--role", "viewer", "--name", "Bad Name!");
        assertThat(badName.err()).contains("lower-case letters, digits and '-'");
        Run badTtl = egctl(as(adminToken), "", "token", "create", "--role", "viewer", "--name", "ttl", "--ttl", "soon");
        assertThat(badTtl.exit()).isEqualTo(2);
    }

    @Test
    void aControlPlaneWhoseCertificateIsNotTrustedIsNamedWithTheFix() {
        Run untrusted = egctl(Map.of("EGCTL_SERVER", server, "EGCTL_TOKEN", adminToken), "", "get", "hp");
        assertThat(untrusted.exit()).isEqualTo(1);
        assertThat(untrusted.err()).contains("cannot verify the certificate of the control plane at " + server).contains("--ca");

        Run plaintext = egctl(Map.of("EGCTL_SERVER", server, "EGCTL_TOKEN", adminToken), "", "--insecure", "get", "hp");
        assertThat(plaintext.exit()).isEqualTo(1);
        assertThat(plaintext.err()).contains(server).contains("drop --insecure");
    }

    /** The JDK calls an expired certificate a failed "PKIX path validation" too: the message names the expiry, not the CA. */
    @Test
    void aControlPlaneWhoseCertificateExpiredIsToldSo() throws Exception {
        TestPki ca = TestPki.create("expiring");
        java.time.Instant now = java.time.Instant.now();
        X509Bundle expired = ca.serverValid(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)), "localhost");
        Path certificate = Files.writeString(state.resolve("expired.pem"), expired.getCertificatePEM());
        Path key = Files.writeString(state.resolve("expired-key.pem"), expired.getPrivateKeyPEM());
        Path caFile = Files.writeString(state.resolve("expiring-ca.pem"), ca.caPem());
        io.grpc.Server tls = io.grpc.netty.NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(io.grpc.netty.GrpcSslContexts.forServer(certificate.toFile(), key.toFile()).build()).build().start();
        try {
            Run refused = egctl(Map.of("EGCTL_SERVER", "localhost:" + tls.getPort(), "EGCTL_CA", caFile.toString(),
                    "EGCTL_TOKEN", adminToken), "", "get", "hp");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("the certificate of the control plane at localhost:" + tls.getPort() + " has expired")
                    .doesNotContain("not signed by");
        } finally {
            tls.shutdownNow();
        }
    }

    @Test
    void secretsAreRedactedInYamlAndAGetEditApplyRoundTripKeepsThem() {
        X509Bundle certificate = TestPki.create("site").server("shop.example");
        String key = TestPki.base64(certificate.getPrivateKeyPEM());
        String server = """
                kind: HTTPServer
                name: shop
                port: 19443
                https: true
                certBase64: %s
                keyBase64: %s
                rules: []
                """.formatted(TestPki.base64(certificate.getCertificatePEM()), key);
        assertThat(egctl(as(adminToken), server, "apply", "-f", "-").exit()).isZero();

        Run yaml = egctl(as(adminToken), "", "get", "hs", "shop", "-o", "yaml");
        assertThat(yaml.out()).doesNotContain(key).containsPattern("keyBase64: \"?<redacted, sha256:[0-9a-f]{16}>");
        assertThat(egctl(as(adminToken), "", "describe", "hs", "shop").out()).doesNotContain(key);

        Run roundTrip = egctl(as(adminToken), yaml.out().replace("19443", "19444"), "apply", "-f", "-");
        assertThat(roundTrip.exit()).as(roundTrip.toString()).isZero();
        assertThat(roundTrip.out()).isEqualTo("HTTPServer/shop configured\n");
        assertThat(egctl(as(adminToken), "", "get", "hs", "shop", "-o", "yaml", "--show-secrets").out()).contains(key).contains("19444");

        Run operatorAsks = egctl(as(newToken("ops-2", "operator")), "", "get", "hs", "shop", "--show-secrets");
        assertThat(operatorAsks.err()).startsWith("Error: permission denied: role operator cannot show secrets");
        egctl(as(adminToken), "", "delete", "hs", "shop");
    }

    @Test
    void pkiInitMakesAPrivateDirectoryAndCertificatesTheControlPlaneAndNodesUse(@TempDir Path work) throws Exception {
        Path dir = work.resolve("pki");
        Run init = egctl(Map.of(), "", "pki", "init", "--dir", dir.toString(), "--nodes", "node-1,node-2");
        assertThat(init.exit()).as(init.toString()).isZero();
        assertThat(init.out()).contains("ca.pem").contains("node node-2:    " + dir.resolve("nodes/node-2"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        for (String key : List.of("ca-key.pem", "control-plane-key.pem", "etcd/ca-key.pem", "etcd/etcd-server-key.pem",
                "nodes/node-1/node-key.pem")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key)))).as(key).isEqualTo("rw-------");
        }
        assertThat(dir.resolve("nodes/node-1")).as("a node's bundle never holds a CA key")
                .isDirectoryNotContaining("glob:**/ca-key.pem").isDirectoryContaining("glob:**/ca.pem");
        assertThat(Files.readString(dir.resolve("etcd/ca.pem"))).as("etcd has a CA of its own").isNotEqualTo(Files.readString(dir.resolve("ca.pem")));
        String ca = Files.readString(dir.resolve("ca.pem"));
        Run node = egctl(Map.of(), "", "pki", "node", "node-3", "--dir", dir.toString());
        assertThat(node.exit()).isZero();
        assertThat(node.out()).isEqualTo(dir.resolve("nodes/node-3") + "\n");
        assertThat(Files.readString(dir.resolve("ca.pem"))).as("the CA is kept").isEqualTo(ca);
        assertThat(io.edgegate.security.NodeIdentity.nodeIdOf(
                io.edgegate.security.Pem.readCertificates(dir.resolve("nodes/node-3/node.pem")).get(0), "edgegate.local")).hasValue("node-3");
    }
}
