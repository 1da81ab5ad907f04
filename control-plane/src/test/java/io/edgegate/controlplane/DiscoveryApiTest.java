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
import io.edgegate.api.v1.ObjectPatch;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.spec.codec.TextChange;
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

    @Test
    void aLargeObjectChangedInPartReachesANodeThatTakesPatchesAsThatPart() throws Exception {
        cp.objects().apply(documents(largeServer("/changing-1"))).getRevision();
        TestNode patched = TestNode.connectTakingPatches(cp.discovery(), "patched");
        TestNode whole = TestNode.connect(cp.discovery(), "whole");
        StoredObject before = serverIn(patched.next(), patched);
        serverIn(whole.next(), whole);

        long changed = cp.objects().apply(documents(largeServer("/changing-2"))).getRevision();
        ConfigUpdate patchedDelta = nextAt(patched, changed);
        ConfigUpdate wholeDelta = nextAt(whole, changed);

        assertThat(wholeDelta.getPatchesList()).as("a node that did not say it takes patches").isEmpty();
        StoredObject after = wholeDelta.getUpserts(0);
        assertThat(patchedDelta.getUpsertsList()).isEmpty();
        ObjectPatch patch = patchedDelta.getPatches(0);
        assertThat(patch.getBaseRevision()).isEqualTo(before.getRevision());
        assertThat(patch.getRevision()).isEqualTo(after.getRevision());
        assertThat(patch.getMiddle().length()).as("the changed chars, not the object's %s", after.getJson().length()).isLessThan(10);
        assertThat(new TextChange(patch.getKeepPrefix(), patch.getKeepSuffix(), patch.getMiddle(), patch.getLength())
                .applyTo(before.getJson())).isEqualTo(after.getJson());

        // A small object is sent whole to every node.
        long small = cp.objects().apply(documents(TestObjects.pipeline("small"))).getRevision();
        assertThat(nextAt(patched, small).getUpsertsList()).extracting(o -> o.getKey().getName()).containsExactly("small");
        patched.close();
        whole.close();
        cp.objects().delete(DeleteRequest.newBuilder().addKeys(ObjectKey.newBuilder().setKind("HTTPServer").setName("large"))
                .addKeys(ObjectKey.newBuilder().setKind("Pipeline").setName("small")).build());
    }

    private static ConfigUpdate nextAt(TestNode node, long revision) throws InterruptedException {
        ConfigUpdate update = node.next();
        while (update.getRevision() < revision) {
            update = node.next();
        }
        return update;
    }

    /** The server in the node's snapshot, waiting for the snapshot that has it. */
    private static StoredObject serverIn(ConfigUpdate snapshot, TestNode node) throws InterruptedException {
        ConfigUpdate update = snapshot;
        while (update.getUpsertsList().stream().noneMatch(o -> o.getKey().getKind().equals("HTTPServer"))) {
            update = node.next();
        }
        return update.getUpsertsList().stream().filter(o -> o.getKey().getKind().equals("HTTPServer")).findFirst().orElseThrow();
    }

    /** An HTTPServer of 1,000 routes (~40 KB stored), one of which changes. */
    private static String largeServer(String changing) {
        StringBuilder yaml = new StringBuilder("kind: HTTPServer\nname: large\nport: 10080\nrules:\n- paths:\n");
        for (int i = 0; i < 1000; i++) {
            yaml.append("  - path: /exact-").append(i).append("\n    backend: p\n");
            if (i == 500) {
                yaml.append("  - path: ").append(changing).append("\n    backend: p\n");
            }
        }
        return yaml.toString();
    }

    @Test
    void aStreamSilentForThreeHeartbeatsIsClosedAndItsNodeListedDisconnected() throws Exception {
        // 300 ms heartbeats: silent for 3 of them and the 1 s of slack, the stream is closed.
        // From before the hello: however long the snapshots take to arrive, the silence is counted from it.
        long start = System.nanoTime();
        TestNode silent = TestNode.connectPromisingHeartbeats(cp.discovery(), "silent-node", 300);
        TestNode talking = TestNode.connectPromisingHeartbeats(cp.discovery(), "talking-node", 300);
        TestNode quiet = TestNode.connect(cp.discovery(), "no-heartbeats-promised");
        silent.next();
        talking.next();
        quiet.next();
        java.util.concurrent.ScheduledExecutorService beats = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            beats.scheduleAtFixedRate(talking::heartbeat, 0, 300, java.util.concurrent.TimeUnit.MILLISECONDS);
            io.grpc.Status closed = silent.error();
            long afterMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(closed.getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
            assertThat(closed.getDescription()).contains("from a node that sends a heartbeat every 300 ms");
            assertThat(afterMillis).isBetween(1_900L, 5_000L);
            await().atMost(Duration.ofSeconds(5)).until(() -> state("silent-node") == MemberState.DISCONNECTED);

            // Twice the silence limit later: the node that keeps its promise and the one that made none stay.
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() ->
                    state("talking-node") != MemberState.DISCONNECTED && state("no-heartbeats-promised") != MemberState.DISCONNECTED);
        } finally {
            beats.shutdownNow();
            talking.close();
            quiet.close();
        }
    }

    private static MemberState state(String nodeId) {
        return cp.cluster().listMembers(ListMembersRequest.getDefaultInstance()).getMembersList().stream()
                .filter(m -> m.getNodeId().equals(nodeId)).map(Member::getState).findFirst().orElseThrow();
    }

    private static Member awaitMember(String nodeId, MemberState state, long applied) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> cp.cluster().listMembers(ListMembersRequest.getDefaultInstance())
                .getMembersList().stream()
                .filter(m -> m.getNodeId().equals(nodeId) && m.getState() == state && m.getAppliedRevision() == applied)
                .findFirst().orElse(null), m -> m != null);
    }
}
