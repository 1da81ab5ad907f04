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

    /**
     * etcd's revision also counts member records: a replica that loads the store later (a restart, a lost
     * watch) must still give the same config the revision the other replicas and the nodes know it by.
     */
    @Test
    void aReplicaStartedLaterGivesTheSameConfigTheSameRevision() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(); Replica a = Replica.start(etcd.endpoint())) {
            TestNode node = TestNode.connect(a.discovery(), "node-a");
            node.ack(node.next().getRevision(), "");
            long revision = a.objects().apply(documents(TestObjects.pipeline("before-b"))).getRevision();
            assertThat(node.next().getRevision()).isEqualTo(revision);
            node.ack(revision, "");
            // The node's record, written after the change, moves etcd's revision past the config's.
            await().atMost(Duration.ofSeconds(3)).until(() -> a.member("node-a")
                    .filter(m -> m.getState() == MemberState.READY && m.getAppliedRevision() == revision).isPresent());

            try (Replica b = Replica.start(etcd.endpoint())) {
                await().atMost(Duration.ofSeconds(3)).until(() -> b.member("node-a").isPresent());
                assertThat(b.member("node-a").get().getState()).as("not Behind through the later replica").isEqualTo(MemberState.READY);
                long unchanged = b.objects().apply(documents(TestObjects.pipeline("before-b"))).getRevision();
                assertThat(unchanged).as("an unchanged apply through b waits for what the node runs").isEqualTo(revision);

                TestNode second = TestNode.connect(b.discovery(), "node-b");
                assertThat(second.next().getRevision()).isEqualTo(revision);
                second.close();
            }
            node.close();
        }
    }

    @Test
    void aNodeForgottenThroughOneReplicaIsGoneFromTheOneItWasConnectedTo() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start();
             Replica a = Replica.start(etcd.endpoint());
             Replica b = Replica.start(etcd.endpoint())) {
            TestNode node = TestNode.connect(b.discovery(), "node-gone");
            node.ack(node.next().getRevision(), "");
            node.close();
            await().atMost(Duration.ofSeconds(3)).until(() -> a.member("node-gone")
                    .filter(m -> m.getState() == MemberState.DISCONNECTED).isPresent());

            a.cluster().forgetMember(io.edgegate.api.v1.ForgetMemberRequest.newBuilder().setNodeId("node-gone").build());

            await().atMost(Duration.ofSeconds(3)).until(() -> b.member("node-gone").isEmpty());
            assertThat(a.member("node-gone")).isEmpty();
            // And it stays gone: nothing of it is written back.
            TestNode other = TestNode.connect(b.discovery(), "node-other");
            other.ack(other.next().getRevision(), "");
            await().atMost(Duration.ofSeconds(3)).until(() -> a.member("node-other").isPresent());
            assertThat(a.member("node-gone")).isEmpty();
            assertThat(b.member("node-gone")).isEmpty();
            other.close();
        }
    }

    @Test
    void aStoppedReplicasNodesStayListedAsDisconnectedUntilTheyReconnectElsewhere() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(); Replica a = Replica.start(etcd.endpoint())) {
            Replica b = Replica.start(etcd.endpoint());
            TestNode node = TestNode.connect(b.discovery(), "node-x");
            long applied = node.next().getRevision();
            node.ack(applied, "");
            await().atMost(Duration.ofSeconds(3)).until(() -> a.member("node-x")
                    .filter(m -> m.getConnected() && m.getAppliedRevision() == applied).isPresent());

            b.close();
            // The node lost its control plane but may well be serving: it stays listed, with what it runs.
            await().atMost(Duration.ofSeconds(3)).until(() -> a.member("node-x")
                    .filter(m -> m.getState() == MemberState.DISCONNECTED && m.getAppliedRevision() == applied).isPresent());

            TestNode moved = TestNode.connect(a.discovery(), "node-x");
            moved.ack(moved.next().getRevision(), "");
            await().atMost(Duration.ofSeconds(3)).until(() -> a.member("node-x")
                    .filter(m -> m.getState() == MemberState.READY && m.getControlPlane().equals(a.address())).isPresent());
        }
    }
}
