package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.testkit.EchoBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Control-plane replicas share only etcd: any replica serves every change, and nodes fail over between them. */
class ReplicasIT {

    @Test
    void aChangeThroughOneReplicaReachesTheOthersNodesAndNodesMoveWhenAReplicaDies(@TempDir Path dir) throws Exception {
        try (ExampleSetup examples = new ExampleSetup(dir.resolve("objects"));
             Cluster cluster = Cluster.start(dir.resolve("cluster"), 2, 2)) {
            String onA = cluster.nodeIds().get(0);
            String onB = cluster.nodeIds().get(1);
            EgctlRun applied = EgctlRun.inProcess(cluster.egctl(0), examples.applyArgs());
            assertThat(applied.exit()).as(applied.toString()).isZero();

            EgctlRun members = await().atMost(Duration.ofSeconds(5)).until(
                    () -> EgctlRun.inProcess(cluster.egctl(0), "get", "members"),
                    run -> run.out().contains(onB) && run.out().contains(cluster.server(1)));
            assertThat(members.out()).containsPattern(onA + "\\s.*" + cluster.server(0).replace(".", "\\."));

            // Written through replica A, served by the node that replica B feeds.
            EgctlRun changed = EgctlRun.withStdin(cluster.egctl(0), examples.pipelineOver(3), "apply", "-f", "-");
            assertThat(changed.exit()).as(changed.toString()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(cluster, onB, examples.port).equals("backend-3"));

            cluster.killControlPlane(0);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                EgctlRun run = EgctlRun.inProcess(cluster.egctl(1), "get", "members");
                return run.out().lines().filter(l -> l.contains(" Ready ") && l.contains(cluster.server(1))).count() == 2;
            });
            assertThat(servedBy(cluster, onA, examples.port)).isEqualTo("backend-3");

            // And changes keep flowing to the moved node through replica B.
            EgctlRun again = EgctlRun.withStdin(cluster.egctl(1), examples.pipelineOver(1), "apply", "--wait", "-f", "-");
            assertThat(again.exit()).as(again.toString()).isZero();
            assertThat(servedBy(cluster, onA, examples.port)).isEqualTo("backend-1");
        }
    }

    private static String servedBy(Cluster cluster, String node, int port) throws IOException {
        return cluster.request(node, port, "/pipeline").headers().firstValue(EchoBackend.NAME_HEADER).orElse("none");
    }
}
