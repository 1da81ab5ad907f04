package io.edgegate.controlplane;

import static io.edgegate.controlplane.RunningControlPlane.documents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListRequest;
import io.edgegate.api.v1.MemberState;
import io.edgegate.api.v1.WriteResponse;
import io.edgegate.testkit.EtcdProcess;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * etcd keeps every version of every key until its history is compacted, and refuses all writes once
 * its database reaches its quota: member records alone rewrite each node's record every 10 s. The
 * control plane compacts the history it no longer needs, and must keep working as it does.
 */
class HistoryCompactionTest {

    private static final ByteSequence HEAD = ByteSequence.from("/edgegate/config-head", StandardCharsets.UTF_8);

    /** Reads the config head as it was at {@code revision}: fails once that revision is compacted away. */
    private static void readAt(Client etcd, long revision) throws Exception {
        etcd.getKVClient().get(HEAD, GetOption.builder().withRevision(revision).build()).get();
    }

    private static boolean compactedAt(Client etcd, long revision) throws Exception {
        try {
            readAt(etcd, revision);
            return false;
        } catch (ExecutionException e) {
            assertThat(e.getCause()).hasMessageContaining("required revision has been compacted");
            return true;
        }
    }

    @Test
    void historyOlderThanAnIntervalIsCompactedAndChangesKeepFlowingInTheSameEpoch() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(); Replica cp = Replica.start(etcd.endpoint(), Duration.ofSeconds(1));
             Client direct = Client.builder().endpoints(etcd.endpoint()).build()) {
            TestNode node = TestNode.connect(cp.discovery(), "node-1");
            WriteResponse written = null;
            for (int i = 0; i < 5; i++) {
                written = cp.objects().apply(documents(TestObjects.pipeline("p-" + i)));
            }
            node.ackUntil(written.getRevision());
            long lastWrite = written.getRevision();

            await().atMost(Duration.ofSeconds(10)).until(() -> compactedAt(direct, lastWrite - 1));

            // Nothing the control plane or its node holds depended on that history.
            WriteResponse next = cp.objects().apply(documents(TestObjects.pipeline("after-compaction")));
            assertThat(next.getEpoch()).isEqualTo(written.getEpoch());
            ConfigUpdate delta = node.ackUntil(next.getRevision());
            assertThat(delta.getFullSnapshot()).as("a change, not the whole store again").isFalse();
            assertThat(delta.getUpsertsList()).extracting(o -> o.getKey().getName()).containsExactly("after-compaction");
            await().atMost(Duration.ofSeconds(5)).until(() -> cp.cluster().listMembers(ListMembersRequest.getDefaultInstance())
                    .getMembersList().stream().anyMatch(m -> m.getNodeId().equals("node-1") && m.getState() == MemberState.READY
                            && m.getAppliedRevision() == next.getRevision()));
            node.close();
        }
    }

    @Test
    void replicasCompactingTheSameStoreEachKeepServingTheOthersChanges() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start();
             Replica first = Replica.start(etcd.endpoint(), Duration.ofSeconds(1));
             Replica second = Replica.start(etcd.endpoint(), Duration.ofMillis(700));
             Client direct = Client.builder().endpoints(etcd.endpoint()).build()) {
            TestNode node = TestNode.connect(second.discovery(), "node-1");
            WriteResponse written = first.objects().apply(documents(TestObjects.pipeline("one")));
            node.ackUntil(written.getRevision());
            await().atMost(Duration.ofSeconds(10)).until(() -> compactedAt(direct, written.getRevision()));

            for (int round = 0; round < 3; round++) {
                WriteResponse change = first.objects().apply(documents(TestObjects.pipeline("change-" + round)));
                ConfigUpdate update = node.ackUntil(change.getRevision());
                assertThat(update.getFullSnapshot()).isFalse();
                await().atMost(Duration.ofSeconds(10)).until(() -> compactedAt(direct, change.getRevision()));
            }
            node.close();
        }
    }

    @Test
    void aZeroIntervalLeavesTheHistoryToEtcd() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(); Replica cp = Replica.start(etcd.endpoint(), Duration.ZERO);
             Client direct = Client.builder().endpoints(etcd.endpoint()).build()) {
            WriteResponse written = cp.objects().apply(documents(TestObjects.pipeline("p")));
            cp.objects().apply(documents(TestObjects.pipeline("q")));
            // Member records and the replica's announcements keep writing meanwhile; none of it is compacted.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !compactedAt(direct, written.getRevision()));
            readAt(direct, 1);
        }
    }

    @Test
    void aNegativeIntervalIsRefused() {
        assertThatThrownBy(() -> Replica.start("http://127.0.0.1:1", Duration.ofSeconds(-1)))
                .hasMessageContaining("--etcd-compaction-interval cannot be negative");
    }

    @Test
    void aFullEtcdIsNamedAsSuchAndNothingChanges() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.startWithQuota(4L * 1024 * 1024); Replica cp = Replica.start(etcd.endpoint());
             Client direct = Client.builder().endpoints(etcd.endpoint()).build()) {
            cp.objects().apply(documents(TestObjects.pipeline("before")));
            // Something else fills the database until etcd raises its NOSPACE alarm.
            ByteSequence filler = ByteSequence.from(new byte[256 * 1024]);
            boolean full = false;
            for (int i = 0; i < 100 && !full; i++) {
                try {
                    direct.getKVClient().put(ByteSequence.from("/filler/" + i, StandardCharsets.UTF_8), filler).get();
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).hasMessageContaining("database space exceeded");
                    full = true;
                }
            }
            assertThat(full).as("etcd refused a write at its quota").isTrue();

            assertThatThrownBy(() -> cp.objects().apply(documents(TestObjects.pipeline("after"))))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        assertThat(e.getStatus().getDescription()).contains("its database is full")
                                .contains("etcdctl alarm disarm").contains("nothing was changed").doesNotContain("unreachable");
                    });
            assertThat(cp.objects().list(ListRequest.getDefaultInstance()).getObjectsList())
                    .extracting(o -> o.getKey().getName()).containsExactly("before");
        }
    }
}
