package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Changes that operators can follow to every node, and that lose nothing on the way. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PropagationIT {

    @RegisterExtension
    static final SharedCluster shared = new SharedCluster();

    private Path work;
    private Cluster cluster;
    private ExampleSetup examples;

    @BeforeAll
    void startCluster(@TempDir Path dir) {
        work = dir;
        examples = new ExampleSetup(work.resolve("objects"));
        cluster = shared.cluster();
    }

    @AfterAll
    void stopBackends() {
        examples.close();
    }

    @BeforeEach
    void applyExamples() {
        EgctlRun applied = EgctlRun.inProcess(cluster.egctl(), examples.applyArgs());
        assertThat(applied.exit()).as(applied.toString()).isZero();
        EgctlRun waited = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(1, 2, 3), "apply", "--wait", "-f", "-");
        assertThat(waited.exit()).as(waited.toString()).isZero();
    }

    private Path write(String name, String text) throws IOException {
        Path file = work.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void aBlockedCidrIsRefusedByEveryNodeAfterOneApply() throws Exception {
        String blocked = ProjectPaths.example("http-server.yaml").replace("port: 10080", "port: " + examples.port
                + "\nipFilter:\n  blockIPs: [127.0.0.0/8, \"::1\"]");
        Path file = write("blocked.yaml", blocked);

        EgctlRun run = EgctlRun.launcher(cluster.egctl(), "apply", "--wait", "-f", file.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        for (String node : cluster.nodeIds()) {
            assertThat(cluster.request(node, examples.port, "/pipeline").statusCode()).as(node).isEqualTo(403);
        }
        EgctlRun reopened = EgctlRun.withStdin(cluster.egctl(),
                ProjectPaths.example("http-server.yaml").replace("port: 10080", "port: " + examples.port), "apply", "--wait", "-f", "-");
        assertThat(reopened.exit()).as(reopened.toString()).isZero();
        for (String node : cluster.nodeIds()) {
            assertThat(cluster.request(node, examples.port, "/pipeline").statusCode()).as(node).isEqualTo(200);
        }
    }

    @Test
    void basicAuthUsersKeptInEtcdChangeOnEveryNodeWithoutTouchingThePipeline() throws Exception {
        String server = ProjectPaths.example("http-server.yaml").replace("port: 10080", "port: " + examples.port)
                + "      - pathPrefix: /private\n        backend: basic-auth-etcd-demo\n";
        String example = ProjectPaths.example("filters/validator-basic-auth-etcd.yaml")
                .replace("http://127.0.0.1:9095", examples.backends.get(0).url());
        EgctlRun run = EgctlRun.launcher(cluster.egctl(), "apply", "--wait", "-f", write("auth.yaml", example + "---\n" + server).toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        for (String node : cluster.nodeIds()) {
            assertThat(cluster.request(node, examples.port, "/private", "Authorization", basic("alice", "hunter2")).statusCode())
                    .as(node).isEqualTo(200);
            assertThat(cluster.request(node, examples.port, "/private").statusCode()).as(node).isEqualTo(401);
        }

        String carolOnly = """
                kind: CustomData
                name: credentials
                records:
                  - username: carol
                    password: "{SHA}/vNB+F2HQ559kaLUZbmHHvZrXpg="
                """;
        EgctlRun changed = EgctlRun.withStdin(cluster.egctl(), carolOnly, "apply", "--wait", "-f", "-");

        assertThat(changed.exit()).as(changed.toString()).isZero();
        assertThat(changed.out()).contains("CustomData/credentials configured");
        for (String node : cluster.nodeIds()) {
            assertThat(cluster.request(node, examples.port, "/private", "Authorization", basic("alice", "hunter2")).statusCode())
                    .as(node).isEqualTo(401);
            assertThat(cluster.request(node, examples.port, "/private", "Authorization", basic("carol", "s3cret")).statusCode())
                    .as(node).isEqualTo(200);
        }
        EgctlRun listed = EgctlRun.inProcess(cluster.egctl(), "get", "customdata");
        assertThat(listed.out()).contains("credentials");
        EgctlRun restored = EgctlRun.inProcess(cluster.egctl(), examples.applyArgs());
        assertThat(restored.exit()).as(restored.toString()).isZero();
        EgctlRun cleaned = EgctlRun.inProcess(cluster.egctl(), "delete", "cd", "credentials");
        assertThat(cleaned.exit()).as(cleaned.toString()).isZero();
        EgctlRun unused = EgctlRun.inProcess(cluster.egctl(), "delete", "hp", "basic-auth-etcd-demo");
        assertThat(unused.exit()).as(unused.toString()).isZero();
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void applyWaitReturnsOnlyWhenEveryNodeServesTheNewRoute() throws Exception {
        String server = ProjectPaths.example("http-server.yaml").replace("port: 10080", "port: " + examples.port)
                + "      - pathPrefix: /v2\n        backend: pipeline-v2\n";
        String pipeline = examples.pipelineOver(3).replace("name: pipeline-reverse-proxy", "name: pipeline-v2");
        Path file = write("v2.yaml", pipeline + "---\n" + server);

        EgctlRun run = EgctlRun.launcher(cluster.egctl(), "apply", "--wait", "-f", file.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("HTTPPipeline/pipeline-v2 created", "HTTPServer/server-demo configured")
                .containsPattern("waiting for 3 nodes to apply revision \\d+");
        for (String node : cluster.nodeIds()) {
            assertThat(run.out()).containsPattern(node + "\\s+applied in \\d+ ms");
            // No waiting here: --wait already promised that every node serves the route.
            var response = cluster.request(node, examples.port, "/v2/x");
            assertThat(response.statusCode()).as(node).isEqualTo(200);
            assertThat(response.headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("backend-3");
        }
        EgctlRun cleaned = EgctlRun.inProcess(cluster.egctl(), "delete", "hp", "pipeline-v2");
        assertThat(cleaned.exit()).isZero();
    }

    /** A change of one route of a large server reaches every node as that change (a patch), and every node serves it. */
    @Test
    void aLargeServerChangedInOneRouteIsServedByEveryNodeAfterOneApply() throws Exception {
        int port = FreePorts.pick();
        Path before = write("large-1.yaml", largeServer(port, "/changing-1"));
        EgctlRun created = EgctlRun.launcher(cluster.egctl(), "apply", "--wait", "-f", before.toString());
        assertThat(created.exit()).as(created.toString()).isZero();

        Path after = write("large-2.yaml", largeServer(port, "/changing-2"));
        EgctlRun changed = EgctlRun.launcher(cluster.egctl(), "apply", "--wait", "-f", after.toString());

        assertThat(changed.exit()).as(changed.toString()).isZero();
        assertThat(changed.out()).contains("HTTPServer/large configured");
        for (String node : cluster.nodeIds()) {
            assertThat(changed.out()).containsPattern(node + "\\s+applied in \\d+ ms");
            assertThat(cluster.request(node, port, "/changing-2").statusCode()).as(node).isEqualTo(200);
            assertThat(cluster.request(node, port, "/changing-1").statusCode()).as(node).isEqualTo(404);
            assertThat(cluster.request(node, port, "/big-1499").statusCode()).as(node).isEqualTo(200);
        }
        assertThat(cluster.allLogs()).as("every node applied the patch to what it held").doesNotContain("reconnecting for a full snapshot");
        EgctlRun cleaned = EgctlRun.inProcess(cluster.egctl(), "delete", "HTTPServer", "large");
        assertThat(cleaned.exit()).as(cleaned.toString()).isZero();
    }

    /** An HTTPServer of 1,500 routes (~60 KB stored, above the size sent as a patch) with one that changes. */
    private static String largeServer(int port, String changing) {
        StringBuilder yaml = new StringBuilder("kind: HTTPServer\nname: large\nport: " + port + "\nrules:\n- paths:\n");
        for (int i = 0; i < 1500; i++) {
            yaml.append("  - path: /big-").append(i).append("\n    backend: pipeline-reverse-proxy\n");
            if (i == 700) {
                yaml.append("  - path: ").append(changing).append("\n    backend: pipeline-reverse-proxy\n");
            }
        }
        return yaml.toString();
    }

    @Test
    void aNodeThatCannotBindIsRejectedWhileTheOthersApplyAndKeepsItsOldConfig() throws Exception {
        String victim = cluster.nodeIds().get(1);
        int clashPort = FreePorts.pickOnAll(ExampleSetup.NODE_ADDRESSES);
        String clash = """
                kind: HTTPServer
                name: clash
                port: %d
                rules:
                - paths:
                  - pathPrefix: /
                    backend: pipeline-reverse-proxy
                """.formatted(clashPort);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(cluster.address(victim), clashPort));

            EgctlRun run = EgctlRun.withStdin(cluster.egctl(), clash, "apply", "--wait", "--timeout", "10s", "-f", "-");

            assertThat(run.exit()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).containsPattern(victim + "\\s+rejected: HTTPServer clash cannot listen on "
                    + cluster.address(victim).replace(".", "\\.") + ":" + clashPort);
            assertThat(run.err()).contains(victim + " rejected it (HTTPServer clash cannot listen on");
            for (String node : cluster.nodeIds()) {
                if (!node.equals(victim)) {
                    assertThat(run.out()).containsPattern(node + "\\s+applied in \\d+ ms");
                    assertThat(cluster.request(node, clashPort, "/").statusCode()).isEqualTo(200);
                }
            }
            EgctlRun members = EgctlRun.inProcess(cluster.egctl(), "get", "members");
            assertThat(members.out()).containsPattern(victim + "\\s+\\S+\\s+Rejected\\s+\\d+\\s+\\d+\\s+.*Address already in use");
            // The rejecting node still serves what it served before.
            assertThat(cluster.request(victim, examples.port, "/pipeline").statusCode()).isEqualTo(200);
            assertThat(cluster.portOpen(victim, clashPort)).isTrue(); // the test's own socket, not the node
        } finally {
            EgctlRun deleted = EgctlRun.inProcess(cluster.egctl(), "delete", "hs", "clash");
            assertThat(deleted.exit()).as(deleted.toString()).isZero();
        }
        EgctlRun recovered = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(1, 2), "apply", "--wait", "-f", "-");
        assertThat(recovered.exit()).as(recovered.toString()).isZero();
    }

    @Test
    void watchShowsAChangeAndEachNodesAcknowledgementWithItsDelay() throws Exception {
        java.util.concurrent.CompletableFuture<EgctlRun> watching = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> EgctlRun.inProcess(cluster.egctl(), "watch", "--timeout", "6s"));
        // Changes keep coming until the watch ends, so it sees some however late it subscribes.
        for (int i = 0; !watching.isDone(); i++) {
            EgctlRun applied = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(i % 2 == 0 ? 1 : 3), "apply", "--wait", "-f", "-");
            assertThat(applied.exit()).as(applied.toString()).isZero();
        }
        EgctlRun watch = watching.get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(watch.exit()).as(watch.toString()).isZero();
        assertThat(watch.out()).containsPattern("revision \\d+  HTTPPipeline/pipeline-reverse-proxy configured");
        for (String node : cluster.nodeIds()) {
            assertThat(watch.out()).containsPattern("revision \\d+  node " + node + " applied \\(\\+\\d+ ms\\)");
        }
    }

    @Test
    void describeShowsTheSpecAndThatEveryNodeRunsIt() {
        EgctlRun described = EgctlRun.inProcess(cluster.egctl(), "describe", "hp", "pipeline-reverse-proxy");

        assertThat(described.exit()).as(described.toString()).isZero();
        assertThat(described.out()).contains("Spec:", "  name: pipeline-reverse-proxy", "Nodes:");
        for (String node : cluster.nodeIds()) {
            assertThat(described.out()).containsPattern(node + "\\s+Ready\\s+\\d+\\s+applied\\s+-");
        }
    }

    @Test
    void aHundredAppliesUnderLoadFailNoRequestAndResetNoConnection() throws Exception {
        List<InetSocketAddress> nodes = cluster.nodeIds().stream()
                .map(n -> new InetSocketAddress(cluster.address(n), examples.port)).toList();
        try (LoadLoop load = LoadLoop.start(nodes, "/pipeline", 2)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > 100);
            for (int i = 0; i < 100; i++) {
                String pipeline = i % 2 == 0 ? examples.pipelineOver(1, 2) : examples.pipelineOver(2, 3);
                EgctlRun run = EgctlRun.withStdin(cluster.egctl(), pipeline, "apply", "-f", "-");
                assertThat(run.exit()).as(run.toString()).isZero();
            }
            EgctlRun last = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(1, 3), "apply", "--wait", "-f", "-");
            assertThat(last.exit()).as(last.toString()).isZero();
            long before = load.succeeded();
            await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > before + 100);
            load.close();
            assertThat(load.failed()).as(load.toString()).isZero();
            assertThat(load.resets()).as(load.toString()).isZero();
        }
    }
}
