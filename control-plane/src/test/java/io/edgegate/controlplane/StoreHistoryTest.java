package io.edgegate.controlplane;

import static io.edgegate.controlplane.RunningControlPlane.documents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.AcceptStoreRequest;
import io.edgegate.api.v1.ClusterEvent;
import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListMembersResponse;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.MemberState;
import io.edgegate.api.v1.NodeOutcome;
import io.edgegate.api.v1.WaitEvent;
import io.edgegate.api.v1.WaitRequest;
import io.edgegate.api.v1.WatchRequest;
import io.edgegate.api.v1.WriteResponse;
import io.edgegate.testkit.EtcdProcess;
import io.edgegate.testkit.TcpRelay;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.Context;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's history changing under a running control plane: a backup restored, etcd wiped,
 * changes compacted away while the control plane could not see them. Versions are (epoch,
 * revision); what the control plane reports must never claim more than nodes run.
 */
class StoreHistoryTest {

    @TempDir
    Path dir;

    private static ListMembersResponse members(Replica replica) {
        return replica.cluster().listMembers(ListMembersRequest.getDefaultInstance());
    }

    private static Member member(Replica replica, String nodeId) {
        return members(replica).getMembersList().stream().filter(m -> m.getNodeId().equals(nodeId)).findFirst().orElseThrow();
    }

    /** Reads updates until one of epoch {@code epoch} at or after {@code revision}; acks each as a node would. */
    private static ConfigUpdate ackUntil(TestNode node, String epoch, long revision) throws InterruptedException {
        while (true) {
            ConfigUpdate update = node.next();
            node.ack(update.getRevision(), "");
            if (update.getEpoch().equals(epoch) && update.getRevision() >= revision) {
                return update;
            }
        }
    }

    /** Applies as soon as the control plane reaches etcd again (right after a restart its client reconnects). */
    private static WriteResponse applyOnceUp(Replica cp, String document) {
        return await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> cp.objects().apply(documents(document)), r -> true);
    }

    /** Acks updates until one of another epoch than {@code epoch} arrives; fails after 15 s. */
    private static ConfigUpdate nextEpochAfter(TestNode node, String epoch) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            ConfigUpdate update = node.poll(500);
            if (update == null) {
                continue;
            }
            if (!update.getEpoch().equals(epoch)) {
                return update;
            }
            node.ack(update.getRevision(), "");
        }
        throw new AssertionError("no update of a new epoch within 15 s (still " + epoch + ")");
    }

    private static List<String> names(ConfigUpdate update) {
        return update.getUpsertsList().stream().map(o -> o.getKey().getName()).sorted().toList();
    }

    @Test
    void aRestoredBackupStartsANewEpochThatEveryNodeIsSentWhole() throws Exception {
        Path backup = dir.resolve("backup");
        try (EtcdProcess etcd = EtcdProcess.start(); Replica cp = Replica.start(etcd.endpoint())) {
            WriteResponse kept = cp.objects().apply(documents(TestObjects.pipeline("kept")));
            TestNode node = TestNode.connect(cp.discovery(), "node-1");
            ackUntil(node, kept.getEpoch(), kept.getRevision());
            String before = members(cp).getEpoch().getId();

            etcd.stop();
            etcd.copyDataTo(backup);
            etcd.startAgain();
            WriteResponse later = applyOnceUp(cp, TestObjects.pipeline("later"));
            for (int i = 0; i < 5; i++) {
                later = cp.objects().apply(documents(TestObjects.pipeline("later-" + i)));
            }
            ackUntil(node, later.getEpoch(), later.getRevision());
            long highest = later.getRevision();
            assertThat(later.getEpoch()).isEqualTo(before);

            BlockingQueue<ClusterEvent> watched = new LinkedBlockingQueue<>();
            Context.CancellableContext watching = Context.current().withCancellation();
            watching.run(() -> cp.clusterAsync().watch(WatchRequest.getDefaultInstance(),
                    ClusterFollowTest.collect(watched)));
            etcd.stop();
            etcd.replaceDataWith(backup);
            etcd.startAgain();

            // Within seconds: a new epoch, and the node is sent the restored store whole.
            ConfigUpdate restored = nextEpochAfter(node, before);
            assertThat(ClusterFollowTest.nextMatching(watched, e -> e.hasEpoch()).getEpoch().getId())
                    .as("egctl watch tells of the new epoch").isEqualTo(restored.getEpoch());
            watching.cancel(null);
            assertThat(restored.getFullSnapshot()).isTrue();
            assertThat(names(restored)).containsExactly("kept");
            assertThat(restored.getRevision()).isLessThan(highest);
            node.ack(restored.getRevision(), "");
            ListMembersResponse listed = members(cp);
            assertThat(listed.getEpoch().getId()).isEqualTo(restored.getEpoch()).isGreaterThan(before);
            assertThat(listed.getEpoch().getReason()).contains("went back");
            await().atMost(Duration.ofSeconds(3)).until(() -> member(cp, "node-1").getState() == MemberState.READY);

            // The next write is waited for in the new epoch: the node must really apply it.
            WriteResponse next = cp.objects().apply(documents(TestObjects.pipeline("after-restore")));
            assertThat(next.getEpoch()).isEqualTo(restored.getEpoch());
            Iterator<WaitEvent> events = cp.cluster().waitForRevision(WaitRequest.newBuilder()
                    .setEpoch(next.getEpoch()).setRevision(next.getRevision()).setTimeoutMillis(5000).build());
            events.next();
            ConfigUpdate delta = node.next();
            assertThat(delta.getFullSnapshot()).isFalse();
            assertThat(names(delta)).containsExactly("after-restore");
            node.ack(delta.getRevision(), "");
            assertThat(events.next().getNode().getOutcome()).isEqualTo(NodeOutcome.Outcome.APPLIED);
            node.close();
        }
    }

    @Test
    void aRestoreIsNoticedEvenWhenOtherWritesCarriedTheRevisionPastTheOldOne() throws Exception {
        Path backup = dir.resolve("backup");
        try (EtcdProcess etcd = EtcdProcess.start(); TcpRelay relay = TcpRelay.to("127.0.0.1", etcd.clientPort());
             Replica cp = Replica.start("http://127.0.0.1:" + relay.port())) {
            WriteResponse kept = cp.objects().apply(documents(TestObjects.pipeline("kept")));
            TestNode node = TestNode.connect(cp.discovery(), "node-1");
            ackUntil(node, kept.getEpoch(), kept.getRevision());
            etcd.stop();
            etcd.copyDataTo(backup);
            etcd.startAgain();
            WriteResponse lost = applyOnceUp(cp, TestObjects.pipeline("lost"));
            ackUntil(node, lost.getEpoch(), lost.getRevision());

            // While the control plane cannot see it: the restore, then writes that are not config (as member
            // records are) carry etcd's revision well past anything the control plane saw.
            relay.cut();
            etcd.stop();
            etcd.replaceDataWith(backup);
            etcd.startAgain();
            try (Client direct = Client.builder().endpoints(etcd.endpoint()).build()) {
                for (int i = 0; i < 40; i++) {
                    direct.getKVClient().put(ByteSequence.from("/unrelated/" + i, StandardCharsets.UTF_8),
                            ByteSequence.from("x", StandardCharsets.UTF_8)).get();
                }
            }
            relay.mend();

            ConfigUpdate update = nextEpochAfter(node, kept.getEpoch());
            assertThat(update.getFullSnapshot()).isTrue();
            assertThat(names(update)).containsExactly("kept");
            assertThat(members(cp).getEpoch().getReason()).contains("newest config change");
            node.close();
        }
    }

    @Test
    void aWriteRightAfterARestoreIsReportedInTheNewEpochNotTheOldOne() throws Exception {
        Path backup = dir.resolve("backup");
        try (EtcdProcess etcd = EtcdProcess.start(); Replica cp = Replica.start(etcd.endpoint())) {
            etcd.stop();
            etcd.copyDataTo(backup);
            etcd.startAgain();
            WriteResponse before = applyOnceUp(cp, TestObjects.pipeline("p"));
            for (int i = 0; i < 8; i++) {
                before = cp.objects().apply(documents(TestObjects.pipeline("p-" + i)));
            }
            TestNode node = TestNode.connect(cp.discovery(), "node-1");
            ackUntil(node, before.getEpoch(), before.getRevision());

            etcd.stop();
            etcd.replaceDataWith(backup);
            etcd.startAgain();
            WriteResponse written = applyOnceUp(cp, TestObjects.pipeline("first-after"));

            // Its revision repeats one the node already ran; only the epoch tells them apart.
            assertThat(written.getRevision()).isLessThanOrEqualTo(before.getRevision());
            assertThat(written.getEpoch()).isNotEqualTo(before.getEpoch());
            Iterator<WaitEvent> events = cp.cluster().waitForRevision(WaitRequest.newBuilder()
                    .setEpoch(written.getEpoch()).setRevision(written.getRevision()).setTimeoutMillis(300).build());
            events.next();
            // The node has acknowledged nothing since the restore: its old (epoch, revision) must not count.
            assertThat(events.next().getNode().getOutcome()).isEqualTo(NodeOutcome.Outcome.TIMED_OUT);
            ConfigUpdate snapshot = ackUntil(node, written.getEpoch(), written.getRevision());
            assertThat(names(snapshot)).contains("first-after");
            node.close();
        }
    }

    @Test
    void aControlPlaneThatMissedTheHigherRevisionsLearnsOfTheRestoreFromANode() throws Exception {
        Path backup = dir.resolve("backup");
        try (EtcdProcess etcd = EtcdProcess.start()) {
            String epoch;
            long ran;
            try (Replica cp = Replica.start(etcd.endpoint())) {
                cp.objects().apply(documents(TestObjects.pipeline("old")));
                etcd.stop();
                etcd.copyDataTo(backup);
                etcd.startAgain();
                WriteResponse newer = applyOnceUp(cp, TestObjects.pipeline("new"));
                for (int i = 0; i < 8; i++) {
                    newer = cp.objects().apply(documents(TestObjects.pipeline("new-" + i)));
                }
                epoch = newer.getEpoch();
                ran = newer.getRevision();
            }
            etcd.stop();
            etcd.replaceDataWith(backup);
            etcd.startAgain();
            try (Replica fresh = Replica.start(etcd.endpoint())) {
                // The node connects saying it runs a revision this history never reached.
                TestNode node = TestNode.connect(fresh.discovery(), "node-1", epoch, ran);

                ConfigUpdate update = node.next();
                assertThat(update.getEpoch()).as("never an older revision of the same epoch").isGreaterThan(epoch);
                assertThat(update.getFullSnapshot()).isTrue();
                assertThat(names(update)).containsExactly("old");
                node.close();
            }
        }
    }

    @Test
    void aStoreThatComesBackEmptyHoldsNodesOnTheirConfigUntilAccepted() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(); Replica cp = Replica.start(etcd.endpoint())) {
            WriteResponse written = cp.objects().apply(documents(TestObjects.pipeline("precious")));
            TestNode node = TestNode.connect(cp.discovery(), "node-1");
            ackUntil(node, written.getEpoch(), written.getRevision());

            etcd.stop();
            etcd.wipeData();
            etcd.startAgain();

            await().atMost(Duration.ofSeconds(10)).until(() -> members(cp).getEpoch().getHeld());
            Member held = member(cp, "node-1");
            assertThat(held.getState()).isEqualTo(MemberState.BEHIND);
            assertThat(held.getStateReason()).contains("held").contains("egctl accept-store");
            assertThat(node.poll(500)).as("the node is not sent the empty store").isNull();

            // A write to the new store does not reach a held node either, and apply --wait says so.
            WriteResponse fresh = applyOnceUp(cp, TestObjects.pipeline("fresh"));
            Iterator<WaitEvent> events = cp.cluster().waitForRevision(WaitRequest.newBuilder()
                    .setEpoch(fresh.getEpoch()).setRevision(fresh.getRevision()).setTimeoutMillis(3000).build());
            events.next();
            NodeOutcome outcome = events.next().getNode();
            assertThat(outcome.getOutcome()).isEqualTo(NodeOutcome.Outcome.HELD);
            assertThat(node.poll(300)).isNull();

            // A node with nothing to lose is served at once.
            TestNode newcomer = TestNode.connect(cp.discovery(), "node-2");
            assertThat(names(ackUntil(newcomer, fresh.getEpoch(), fresh.getRevision()))).containsExactly("fresh");

            cp.cluster().acceptStore(AcceptStoreRequest.getDefaultInstance());
            ConfigUpdate accepted = ackUntil(node, fresh.getEpoch(), fresh.getRevision());
            assertThat(accepted.getFullSnapshot()).isTrue();
            assertThat(names(accepted)).containsExactly("fresh");
            await().atMost(Duration.ofSeconds(3)).until(() -> member(cp, "node-1").getState() == MemberState.READY);
            assertThat(members(cp).getEpoch().getHeld()).isFalse();
            node.close();
            newcomer.close();
        }
    }

    @Test
    void changesCompactedAwayWhileTheControlPlaneWasCutOffAreReloadedWhole() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(); TcpRelay relay = TcpRelay.to("127.0.0.1", etcd.clientPort());
             Replica cp = Replica.start("http://127.0.0.1:" + relay.port());
             Client direct = Client.builder().endpoints(etcd.endpoint()).build()) {
            WriteResponse first = cp.objects().apply(documents(TestObjects.pipeline("seen")));
            TestNode node = TestNode.connect(cp.discovery(), "node-1");
            ackUntil(node, first.getEpoch(), first.getRevision());

            relay.cut();
            // Behind the control plane's back: a change, then a compaction past everything it saw.
            String key = "/edgegate/objects/Pipeline/unseen";
            String json = "{\"name\":\"unseen\",\"kind\":\"Pipeline\",\"filters\":[{\"name\":\"proxy\",\"kind\":\"Proxy\","
                    + "\"pools\":[{\"servers\":[{\"url\":\"http://127.0.0.1:9095\"}]}]}]}";
            long revision = direct.getKVClient().put(ByteSequence.from(key, StandardCharsets.UTF_8),
                    ByteSequence.from(json, StandardCharsets.UTF_8)).get().getHeader().getRevision();
            direct.getKVClient().delete(ByteSequence.from("/edgegate/objects/Pipeline/seen", StandardCharsets.UTF_8)).get();
            direct.getKVClient().compact(revision + 1).get();
            relay.mend();

            List<String> seen = new ArrayList<>();
            ConfigUpdate update;
            do {
                update = node.next();
                node.ack(update.getRevision(), "");
                seen.add(update.toString());
            } while (update.getRevision() < revision); // a reload names its config by its newest object: the put
            assertThat(update.getEpoch()).as("the history is intact: same epoch").isEqualTo(first.getEpoch());
            assertThat(update.getUpsertsList()).extracting(o -> o.getKey().getName()).contains("unseen");
            assertThat(update.getDeletesList()).extracting(k -> k.getName()).contains("seen");
            node.close();
        }
    }
}
