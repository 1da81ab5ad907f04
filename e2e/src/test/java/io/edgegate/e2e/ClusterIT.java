package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.testkit.EchoBackend;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's promise, with real processes: objects applied with egctl reach every
 * data plane through etcd and the control plane's stream, and the nodes proxy with them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {

    @RegisterExtension
    static final SharedCluster shared = new SharedCluster();

    private Path work;
    private Cluster cluster;
    private ExampleSetup examples;
    private List<EchoBackend> backends;
    private int port;
    private Path serverFile;

    @BeforeAll
    void startCluster(@TempDir Path dir) {
        work = dir;
        // The example files as shipped, with only their ports moved to free ones.
        examples = new ExampleSetup(work.resolve("objects"));
        backends = examples.backends;
        port = examples.port;
        serverFile = examples.serverFile;
        cluster = shared.cluster();
    }

    @AfterAll
    void stopBackends() {
        examples.close();
    }

    @BeforeEach
    void applyExamples() {
        EgctlRun applied = EgctlRun.launcher(cluster.egctl(), examples.applyArgs());
        assertThat(applied.exit()).as(applied.toString()).isZero();
        for (String node : cluster.nodeIds()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> status(node, "/pipeline") == 200);
        }
    }

    @Test
    void everyNodeBalancesTheSeedPipelineRoundRobin() throws IOException {
        for (String node : cluster.nodeIds()) {
            List<String> served = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                HttpResponse<String> response = cluster.request(node, port, "/pipeline");
                assertThat(response.statusCode()).isEqualTo(200);
                served.add(response.headers().firstValue(EchoBackend.NAME_HEADER).orElseThrow());
            }
            assertThat(served.subList(0, 3)).as(node).containsExactlyInAnyOrder("backend-1", "backend-2", "backend-3");
            assertThat(served.subList(3, 6)).as(node + " keeps the rotation").isEqualTo(served.subList(0, 3));
            assertThat(served.subList(6, 9)).as(node + " keeps the rotation").isEqualTo(served.subList(0, 3));
        }
    }

    @Test
    void aNodesMetricsCountTheRequestsItServedAndShowTheRevisionItRuns() throws IOException {
        String node = cluster.nodeIds().get(0);
        double before = requests200(cluster.metrics(node));
        for (int i = 0; i < 100; i++) {
            assertThat(cluster.request(node, port, "/pipeline?user=" + i).statusCode()).isEqualTo(200);
        }
        String metrics = cluster.metrics(node);
        assertThat(requests200(metrics) - before).isEqualTo(100.0);
        assertThat(metrics).doesNotContain("user=").contains("node=\"" + node + "\"");

        EgctlRun members = EgctlRun.inProcess(cluster.egctl(), "get", "members", "-o", "json");
        long revision = Long.parseLong(members.out().replaceAll("(?s).*?\"revision\" : (\\d+).*", "$1"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(cluster.metrics(node))
                .containsPattern("edgegate_node_applied_revision\\{[^}]*} " + revision + "\\.0")
                .containsPattern("edgegate_node_control_plane_connected\\{[^}]*} 1\\.0"));
        java.util.regex.Matcher expiry = java.util.regex.Pattern.compile("edgegate_node_certificate_expiry_seconds\\{[^}]*} (\\S+)")
                .matcher(metrics);
        assertThat(expiry.find()).as("the node's certificate expiry").isTrue();
        assertThat(Double.parseDouble(expiry.group(1))).as("a year's certificate made by egctl pki")
                .isGreaterThan(java.time.Instant.now().plus(java.time.Duration.ofDays(300)).getEpochSecond());
    }

    @Test
    void aServerOnANodesAdminPortIsRefusedNamingTheNodeAndNothingChanges() throws IOException {
        String node = cluster.nodeIds().get(0);
        String admin = cluster.nodeAdmin(node);
        int adminPort = Integer.parseInt(admin.substring(admin.lastIndexOf(':') + 1));
        String onAdmin = "kind: HTTPServer\nname: on-admin\nport: " + adminPort
                + "\nrules:\n- paths:\n  - pathPrefix: /\n    backend: pipeline-reverse-proxy\n";

        EgctlRun refused = EgctlRun.withStdin(cluster.egctl(), onAdmin, "apply", "-f", "-");

        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("HTTPServer/on-admin cannot listen on port " + adminPort)
                .contains("the admin listener of node " + node + " is on " + admin);
        assertThat(EgctlRun.inProcess(cluster.egctl(), "get", "hs").out()).doesNotContain("on-admin");
        assertThat(cluster.metrics(node)).contains("edgegate_");
    }

    private static double requests200(String metrics) {
        java.util.regex.Matcher line = java.util.regex.Pattern.compile(
                "edgegate_http_requests_total\\{[^}]*backend=\"pipeline-reverse-proxy\"[^}]*code=\"200\"[^}]*server=\"server-demo\"[^}]*} (\\S+)")
                .matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    @Test
    void membersListEveryNodeWithTheRevisionItApplied() {
        EgctlRun members = await().atMost(Duration.ofSeconds(5)).until(
                () -> EgctlRun.inProcess(cluster.egctl(), "get", "members", "-o", "json"),
                run -> run.out().split("\"state\" : \"Ready\"", -1).length - 1 == 3);
        long revision = Long.parseLong(members.out().replaceAll("(?s).*?\"revision\" : (\\d+).*", "$1"));
        for (String node : cluster.nodeIds()) {
            assertThat(members.out()).contains("\"node\" : \"" + node + "\"");
        }
        assertThat(members.out().split("\"appliedRevision\" : " + revision + ",", -1)).hasSizeGreaterThanOrEqualTo(4);

        EgctlRun table = EgctlRun.launcher(cluster.egctl(), "get", "members");
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("NODE", "STATE", "REVISION", "LAG");
        for (String node : cluster.nodeIds()) {
            assertThat(table.out()).containsPattern(node + "\\s+" + cluster.address(node).replace(".", "\\.") + "\\s+Ready\\s+\\d+\\s+0\\s");
        }
    }

    @Test
    void aChangedPipelineReachesEveryNodeWithinOneSecond() throws Exception {
        String twoServers = examples.pipelineOver(1, 2);
        EgctlRun applied = EgctlRun.withStdin(cluster.egctl(), twoServers, "apply", "-f", "-");
        assertThat(applied.out()).isEqualTo("HTTPPipeline/pipeline-reverse-proxy configured\n");
        Instant deadline = Instant.now().plusSeconds(1);

        for (String node : cluster.nodeIds()) {
            await().atMost(Duration.between(Instant.now(), deadline).plusMillis(1))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> servedBy(node, 4), served -> Set.of("backend-1", "backend-2").equals(served));
        }
        for (String node : cluster.nodeIds()) {
            assertThat(servedBy(node, 6)).as(node).isEqualTo(Set.of("backend-1", "backend-2"));
        }
    }

    @Test
    void deletingThePipelineGives503ThenDeletingTheServerClosesItsPort() {
        EgctlRun deleted = EgctlRun.launcher(cluster.egctl(), "delete", "hp", "pipeline-reverse-proxy");
        assertThat(deleted.out()).isEqualTo("HTTPPipeline/pipeline-reverse-proxy deleted\n");
        for (String node : cluster.nodeIds()) {
            await().atMost(Duration.ofSeconds(2)).until(() -> status(node, "/pipeline") == 503);
        }

        EgctlRun deletedServer = EgctlRun.inProcess(cluster.egctl(), "delete", "-f", serverFile.toString());
        assertThat(deletedServer.out()).isEqualTo("HTTPServer/server-demo deleted\n");
        for (String node : cluster.nodeIds()) {
            await().atMost(Duration.ofSeconds(2)).until(() -> !cluster.portOpen(node, port));
        }
    }

    @Test
    void aNodeStartedLaterAndAKilledAndRestartedNodeServeTheObjects() throws Exception {
        cluster.addDataPlane("node-late", "127.0.0.5");
        try {
            cluster.awaitServing("node-late");
            assertThat(cluster.request("node-late", port, "/pipeline").statusCode()).isEqualTo(200);
        } finally {
            cluster.removeDataPlane("node-late");
            // Gone for good: forgotten, so later changes do not wait for it.
            EgctlRun forgotten = EgctlRun.inProcess(cluster.egctl(), "delete", "member", "node-late");
            assertThat(forgotten.exit()).as(forgotten.toString()).isZero();
        }

        String victim = cluster.nodeIds().get(0);
        cluster.killDataPlane(victim);
        assertThat(cluster.portOpen(victim, port)).isFalse();
        cluster.startDataPlane(victim);
        cluster.awaitServing(victim);
        assertThat(cluster.request(victim, port, "/pipeline").headers().firstValue(EchoBackend.NAME_HEADER)).isPresent();
    }

    private int status(String node, String path) {
        try {
            return cluster.request(node, port, path).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private Set<String> servedBy(String node, int requests) throws IOException {
        Set<String> served = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = cluster.request(node, port, "/pipeline");
            served.add(response.headers().firstValue(EchoBackend.NAME_HEADER).orElse("status " + response.statusCode()));
        }
        return served;
    }
}
