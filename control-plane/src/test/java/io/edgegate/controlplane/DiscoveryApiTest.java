package io.edgegate.controlplane;

import static io.edgegate.controlplane.RunningControlPlane.documents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.DeleteRequest;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.MemberState;
import io.edgegate.api.v1.ObjectKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DiscoveryApiTest {

    @RegisterExtension
    static final RunningControlPlane cp = RunningControlPlane.inMemory();


    @Test
    void aNodeGetsTheSnapshotThenEachChangeAndItsAcksAreRecorded() throws Exception {
        long first = cp.objects().apply(documents(TestObjects.pipeline("a"))).getRevision();
        TestNode node = TestNode.connect(cp.discovery(), "node-1");

        ConfigUpdate snapshot = node.next();
        assertThat(snapshot.getFullSnapshot()).isTrue();
        // The cache follows etcd by a watch: the first snapshot may precede the write by a moment.
        while (snapshot.getRevision() < first) {
            snapshot = node.next();
        }
        assertThat(snapshot.getUpsertsList()).extracting(o -> o.getKey().getName()).contains("a");
        node.ack(snapshot.getRevision(), "");
        awaitMember("node-1", MemberState.READY, snapshot.getRevision());

        long second = cp.objects().apply(documents(TestObjects.pipeline("b"))).getRevision();
        ConfigUpdate delta = node.next();
        assertThat(delta.getFullSnapshot()).isFalse();
        assertThat(delta.getRevision()).isEqualTo(second);
        assertThat(delta.getUpsertsList()).extracting(o -> o.getKey().getName()).containsExactly("b");
        assertThat(awaitMember("node-1", MemberState.BEHIND, snapshot.getRevision()).getAppliedRevision()).isLessThan(second);

        node.ack(second, "port 80 is in use");
        awaitMember("node-1", MemberState.REJECTED, snapshot.getRevision());

        long third = cp.objects().delete(DeleteRequest.newBuilder()
                .addKeys(ObjectKey.newBuilder().setKind("Pipeline").setName("b")).build()).getRevision();
        ConfigUpdate deletion = node.next();
        assertThat(deletion.getRevision()).isEqualTo(third);
        assertThat(deletion.getDeletesList()).extracting(ObjectKey::getName).containsExactly("b");
        node.ack(third, "");
        awaitMember("node-1", MemberState.READY, third);

        node.close();
        awaitMember("node-1", MemberState.DISCONNECTED, third);
    }

    private static Member awaitMember(String nodeId, MemberState state, long applied) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> cp.cluster().listMembers(ListMembersRequest.getDefaultInstance())
                .getMembersList().stream()
                .filter(m -> m.getNodeId().equals(nodeId) && m.getState() == state && m.getAppliedRevision() == applied)
                .findFirst().orElse(null), m -> m != null);
    }
}
