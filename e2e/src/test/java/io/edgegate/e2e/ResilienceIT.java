package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The cluster keeps serving through control-plane and etcd failures. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResilienceIT {

    private Cluster cluster;
    private ExampleSetup examples;

    @BeforeAll
    void startCluster(@TempDir Path dir) {
        examples = new ExampleSetup(dir.resolve("objects"));
        cluster = Cluster.start(dir.resolve("cluster"), 3);
        EgctlRun applied = EgctlRun.inProcess(cluster.egctl(), examples.applyArgs());
        assertThat(applied.exit()).as(applied.toString()).isZero();
        EgctlRun waited = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(1, 2, 3), "apply", "--wait", "-f", "-");
        assertThat(waited.exit()).as(waited.toString()).isZero();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        examples.close();
    }

    private LoadLoop load() {
        List<InetSocketAddress> nodes = cluster.nodeIds().stream()
                .map(n -> new InetSocketAddress(cluster.address(n), examples.port)).toList();
        return LoadLoop.start(nodes, "/pipeline", 1);
    }

    private static boolean allReady(EgctlRun members, int nodes) {
        return members.exit() == 0 && members.out().split("\\sReady\\s", -1).length - 1 == nodes;
    }

    @Test
    void killingTheControlPlaneUnderTrafficFailsNoRequestAndNodesComeBackReady() throws Exception {
        try (LoadLoop load = load()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > 100);
            cluster.killControlPlane(0);
            long atKill = load.succeeded();
            await().atMost(Duration.ofSeconds(20)).until(() -> load.succeeded() > atKill + 300);

            cluster.startControlPlane(0);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> allReady(EgctlRun.inProcess(cluster.egctl(), "get", "members"), 3));
            load.close();
            assertThat(load.failed()).as(load.toString()).isZero();
        }
    }

    @Test
    void withEtcdStoppedNodesServeWritesFailFastAndApplyWorksOnceEtcdIsBack() throws Exception {
        try (LoadLoop load = load()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > 100);
            ConsoleClient console = ConsoleClient.loggedIn(cluster, "outage-viewer");
            cluster.etcd().stop();
            try {
                long started = System.nanoTime();
                EgctlRun refused = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(1), "apply", "-f", "-");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
                assertThat(refused.exit()).isEqualTo(1);
                assertThat(refused.err()).contains("etcd at " + cluster.etcd().endpoint()).contains("nothing was changed");

                EgctlRun stale = EgctlRun.inProcess(cluster.egctl(), "get", "hp");
                assertThat(stale.exit()).isZero();
                assertThat(stale.err()).contains("Warning: etcd at").contains("may be stale");
                assertThat(stale.out()).contains("pipeline-reverse-proxy");
                EgctlRun unhealthy = await().atMost(Duration.ofSeconds(10)).until(
                        () -> EgctlRun.inProcess(cluster.egctl(), "health"), run -> run.exit() == 1);
                assertThat(unhealthy.err()).contains("the control plane answers but does not reach etcd").contains("cannot take changes");

                long atStop = load.succeeded();
                await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > atStop + 200);

                // Once the token's last check is too old to stand for every call (10 s), reads from memory still work for it.
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(
                        () -> EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(1), "apply", "-f", "-").err(),
                        err -> err.contains("cannot check the token: etcd is unreachable"));
                EgctlRun members = EgctlRun.inProcess(cluster.egctl(), "get", "members");
                assertThat(members.exit()).as(members.toString()).isZero();
                assertThat(members.out()).contains("node-1").contains("node-3");
                assertThat(EgctlRun.inProcess(cluster.egctl(), "health").err()).contains("does not reach etcd");
                EgctlRun cached = EgctlRun.inProcess(cluster.egctl(), "get", "hp");
                assertThat(cached.exit()).as(cached.toString()).isZero();
                assertThat(cached.out()).contains("pipeline-reverse-proxy");
                // The console, which only shows the cluster's state, says what it cannot see.
                JsonNode view = console.cluster();
                assertThat(view.path("stale").asBoolean()).as(view.toString()).isTrue();
                assertThat(view.path("staleReason").asText()).contains("does not reach etcd");
                assertThat(console.node("node-1").path("nodeId").asText()).isEqualTo("node-1");
                EgctlRun secrets = EgctlRun.inProcess(cluster.egctl(), "get", "hp", "--show-secrets");
                assertThat(secrets.exit()).isEqualTo(1);
                assertThat(secrets.err()).contains("secrets are shown only to a token checked against etcd");
            } finally {
                cluster.etcd().restart();
            }
            EgctlRun applied = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(
                    () -> EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(1, 2), "apply", "--wait", "-f", "-"),
                    run -> run.exit() == 0);
            assertThat(applied.out()).contains("HTTPPipeline/pipeline-reverse-proxy configured");
            EgctlRun healthy = EgctlRun.inProcess(cluster.egctl(), "health");
            assertThat(healthy.exit()).as(healthy.toString()).isZero();
            assertThat(healthy.out()).isEqualTo("OK\n");
            load.close();
            assertThat(load.failed()).as(load.toString()).isZero();
        }
    }
}
