package io.edgegate.controlplane;

import static io.edgegate.controlplane.RunningControlPlane.documents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.MemberState;
import io.edgegate.testkit.EtcdProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Replicas share nothing but etcd: any of them sees every node and serves every change. */
class ReplicasTest {


    @Test
    void aChangeWrittenThroughOneReplicaReachesANodeOfTheOtherAndBothListIt() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start();
             Replica a = Replica.start(etcd.endpoint());
             Replica b = Replica.start(etcd.endpoint())) {
            TestNode node = TestNode.connect(b.discovery(), "node-b");
            node.ack(node.next().getRevision(), "");

            long revision = a.objects().apply(documents(TestObjects.pipeline("via-a"))).getRevision();
            ConfigUpdate update = node.next();
            assertThat(update.getRevision()).isEqualTo(revision);
            assertThat(update.getUpsertsList()).extracting(o -> o.getKey().getName()).containsExactly("via-a");
            node.ack(revision, "");

            await().atMost(Duration.ofSeconds(3)).until(() -> a.member("node-b")
                    .filter(m -> m.getState() == MemberState.READY && m.getAppliedRevision() == revision
                            && m.getControlPlane().equals(b.address()))
                    .isPresent());

            node.close();
            await().atMost(Duration.ofSeconds(3)).until(() -> a.member("node-b")
                    .filter(m -> m.getState() == MemberState.DISCONNECTED).isPresent());
        }
    }

    @Test
    void aStoppedReplicasNodesLeaveTheSharedListUntilTheyReconnectElsewhere() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(); Replica a = Replica.start(etcd.endpoint())) {
            Replica b = Replica.start(etcd.endpoint());
            TestNode node = TestNode.connect(b.discovery(), "node-x");
            node.ack(node.next().getRevision(), "");
            await().atMost(Duration.ofSeconds(3)).until(() -> a.member("node-x").filter(m -> m.getConnected()).isPresent());

            b.close();
            await().atMost(Duration.ofSeconds(3)).until(() -> a.member("node-x").isEmpty());

            TestNode moved = TestNode.connect(a.discovery(), "node-x");
            moved.ack(moved.next().getRevision(), "");
            await().atMost(Duration.ofSeconds(3)).until(() -> a.member("node-x")
                    .filter(m -> m.getState() == MemberState.READY && m.getControlPlane().equals(a.address())).isPresent());
        }
    }
}
