package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.testkit.EchoBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that restarts serves the config it last applied, from disk, until a control plane sends its own. */
class LastGoodIT {

    @Test
    void aNodeRestartedAloneServesItsLastConfigFromDisk(@TempDir Path dir) throws Exception {
        try (ExampleSetup examples = new ExampleSetup(dir.resolve("objects"));
             Cluster cluster = Cluster.start(dir.resolve("cluster"), 2)) {
            EgctlRun applied = EgctlRun.inProcess(cluster.egctl(), examples.applyArgs());
            assertThat(applied.exit()).as(applied.toString()).isZero();
            EgctlRun waited = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(2), "apply", "--wait", "-f", "-");
            assertThat(waited.exit()).as(waited.toString()).isZero();
            String node = cluster.nodeIds().get(0);
            assertThat(Files.exists(cluster.dataDir(node).resolve("last-good.json"))).isTrue();

            cluster.nodeIds().forEach(cluster::stopDataPlane);
            cluster.killControlPlane(0);
            cluster.etcd().stop();

            cluster.startDataPlane(node);
            cluster.awaitServing(node);

            var response = cluster.request(node, examples.port, "/pipeline");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("backend-2");
            assertThat(cluster.health(node).body()).contains("\"configSource\":\"last-good file (revision");
        }
    }

    @Test
    void aNodeRestartedAfterAChangeServesItsFileFirstThenTheControlPlanesConfigAndSurvivesADamagedFile(@TempDir Path dir) throws Exception {
        try (ExampleSetup examples = new ExampleSetup(dir.resolve("objects"));
             Cluster cluster = Cluster.start(dir.resolve("cluster"), 1)) {
            EgctlRun applied = EgctlRun.inProcess(cluster.egctl(), examples.applyArgs());
            assertThat(applied.exit()).as(applied.toString()).isZero();
            EgctlRun waited = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(2), "apply", "--wait", "-f", "-");
            assertThat(waited.exit()).as(waited.toString()).isZero();
            String node = cluster.nodeIds().get(0);
            cluster.stopDataPlane(node);

            // Changed while the node is down: its file still sends traffic to backend-2.
            EgctlRun changed = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(3), "apply", "-f", "-");
            assertThat(changed.exit()).as(changed.toString()).isZero();
            cluster.startDataPlane(node);
            cluster.awaitServing(node);

            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                var response = cluster.request(node, examples.port, "/pipeline");
                assertThat(response.headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("backend-3");
                assertThat(cluster.health(node).body()).contains("\"configSource\":\"control plane\"");
            });
            assertThat(cluster.allLogs()).contains("serving the last-good config (revision");
            EgctlRun members = EgctlRun.inProcess(cluster.egctl(), "get", "members");
            assertThat(members.out()).contains(node).contains("Ready");

            // The file is read as part of the start now: a damaged one (cut off mid-write) costs the node
            // its head start, not its start.
            cluster.stopDataPlane(node);
            Files.writeString(cluster.dataDir(node).resolve("last-good.json"), "{\"epoch\":\"cut off");
            cluster.startDataPlane(node);
            cluster.awaitServing(node);
            assertThat(cluster.request(node, examples.port, "/pipeline").headers().firstValue(EchoBackend.NAME_HEADER))
                    .hasValue("backend-3");
            assertThat(cluster.allLogs()).contains("cannot serve the last-good config from");
        }
    }

    /** A saved config the node cannot serve (its port taken) is not claimed as applied: the node shows Rejected, not Ready. */
    @Test
    void aNodeWhoseSavedConfigCannotBeServedIsNotShownReady(@TempDir Path dir) throws Exception {
        try (ExampleSetup examples = new ExampleSetup(dir.resolve("objects"));
             Cluster cluster = Cluster.start(dir.resolve("cluster"), 1)) {
            EgctlRun applied = EgctlRun.inProcess(cluster.egctl(), examples.applyArgs());
            assertThat(applied.exit()).as(applied.toString()).isZero();
            EgctlRun waited = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(2), "apply", "--wait", "-f", "-");
            assertThat(waited.exit()).as(waited.toString()).isZero();
            String node = cluster.nodeIds().get(0);
            cluster.stopDataPlane(node);

            try (java.net.ServerSocket squatter = new java.net.ServerSocket(examples.port, 50,
                    java.net.InetAddress.getByName(cluster.address(node)))) {
                cluster.startDataPlane(node);

                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    String members = EgctlRun.inProcess(cluster.egctl(), "get", "members").out();
                    assertThat(members).contains(node).contains("Rejected").doesNotContain("Ready");
                });
                assertThat(cluster.allLogs()).contains("cannot serve the last-good config from");
                // The store has not moved: a wait for what it holds must not confirm a node that runs nothing.
                EgctlRun unchanged = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(2), "apply", "--wait", "-f", "-");
                assertThat(unchanged.exit()).as(unchanged.toString()).isNotZero();
                assertThat(unchanged.out()).doesNotContainPattern(node + "\\s+applied in");
            }
        }
    }

    /** An ACK promises the node could serve the revision again after a restart; one that cannot save it says so. */
    @Test
    void aNodeThatCannotSaveWhatItAppliedSaysSoInApplyWaitAndGetMembersUntilItCanAgain(@TempDir Path dir) throws Exception {
        try (ExampleSetup examples = new ExampleSetup(dir.resolve("objects"));
             Cluster cluster = Cluster.start(dir.resolve("cluster"), 1)) {
            EgctlRun applied = EgctlRun.inProcess(cluster.egctl(), examples.applyArgs());
            assertThat(applied.exit()).as(applied.toString()).isZero();
            String node = cluster.nodeIds().get(0);
            // The node's folder of saved objects becomes a file, as a disk gone read-only refuses every write.
            Path objects = cluster.dataDir(node).resolve("last-good");
            try (var files = Files.walk(objects)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            Files.writeString(objects, "in the way");

            EgctlRun unsaved = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(3), "apply", "--wait", "-f", "-");
            assertThat(unsaved.exit()).as(unsaved.toString()).isZero();
            assertThat(unsaved.out()).containsPattern(node + "\\s+applied in \\d+ ms \\(warning: applied, but not saved as the last-good config");
            assertThat(cluster.request(node, examples.port, "/pipeline").headers().firstValue(EchoBackend.NAME_HEADER))
                    .hasValue("backend-3");
            EgctlRun members = EgctlRun.inProcess(cluster.egctl(), "get", "members");
            assertThat(members.out()).contains("Ready").contains("warning: applied, but not saved as the last-good config")
                    .contains("would serve an older config");

            Files.delete(objects);
            EgctlRun saved = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(2), "apply", "--wait", "-f", "-");
            assertThat(saved.exit()).as(saved.toString()).isZero();
            assertThat(saved.out()).containsPattern(node + "\\s+applied in \\d+ ms\\n").doesNotContain("warning");
            assertThat(EgctlRun.inProcess(cluster.egctl(), "get", "members").out()).doesNotContain("warning");
            assertThat(Files.exists(cluster.dataDir(node).resolve("last-good.json"))).isTrue();
        }
    }
}
