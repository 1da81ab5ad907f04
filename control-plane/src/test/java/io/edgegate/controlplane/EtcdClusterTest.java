package io.edgegate.controlplane;

import static io.edgegate.controlplane.RunningControlPlane.documents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.testkit.EtcdCluster;
import io.edgegate.testkit.FreePorts;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Against a three-member etcd cluster the control plane keeps working while one member is down. */
class EtcdClusterTest {


    @Test
    void writesAndStreamsGoOnWhenOneOfThreeMembersDies() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(3)) {
            ControlPlaneConfig config = new ControlPlaneConfig(new InetSocketAddress("127.0.0.1", FreePorts.pick()),
                    etcd.endpoints(), Path.of("unused"), "etcd", Duration.ofSeconds(5),
                io.edgegate.controlplane.security.ControlPlaneSecurity.disabled(), io.edgegate.controlplane.etcd.EtcdAccess.none());
            try (ControlPlane controlPlane = ControlPlane.start(config);
                 Replica replica = Replica.attach(controlPlane, config)) {
                controlPlane.cache().ready().get(20, java.util.concurrent.TimeUnit.SECONDS);
                TestNode node = TestNode.connect(replica.discovery(), "n");
                node.ack(node.next().getRevision(), "");

                etcd.stop(0);

                long revision = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                        .until(() -> replica.objects().apply(documents(TestObjects.pipeline("with-quorum"))).getRevision(), r -> r > 0);
                ConfigUpdate update = await().atMost(Duration.ofSeconds(10))
                        .until(() -> node.poll(500), u -> u != null && u.getRevision() >= revision);
                assertThat(update.getUpsertsList()).extracting(o -> o.getKey().getName()).contains("with-quorum");
                node.close();
            }
        }
    }
}
