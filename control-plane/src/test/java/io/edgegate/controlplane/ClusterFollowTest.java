package io.edgegate.controlplane;

import static io.edgegate.controlplane.RunningControlPlane.documents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.ClusterEvent;
import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.DescribeResponse;
import io.edgegate.api.v1.GetRequest;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.MemberState;
import io.edgegate.api.v1.NodeHello;
import io.edgegate.api.v1.NodeObjectStatus;
import io.edgegate.api.v1.NodeOutcome;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.WaitEvent;
import io.edgegate.api.v1.WaitRequest;
import io.edgegate.api.v1.WatchRequest;
import io.edgegate.api.v1.WriteResponse;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Following a change to every node: wait for a revision, watch the cluster, describe an object. */
class ClusterFollowTest {

    @RegisterExtension
    static final RunningControlPlane cp = RunningControlPlane.inMemory();


    @Test
    void waitReportsEachNodesOutcomeThenEnds() throws Exception {
        TestNode good = TestNode.connect(cp.discovery(), "wait-good");
        TestNode bad = TestNode.connect(cp.discovery(), "wait-bad");
        TestNode silent = TestNode.connect(cp.discovery(), "wait-silent");
        for (TestNode n : List.of(good, bad, silent)) {
            n.ack(n.next().getRevision(), "");
        }
        WriteResponse written = cp.objects().apply(documents(TestObjects.pipeline("waited")));
        long revision = written.getRevision();

        Iterator<WaitEvent> events = cp.cluster().waitForRevision(WaitRequest.newBuilder().setRevision(revision)
                .setCommittedAtMillis(written.getCommittedAtMillis()).setTimeoutMillis(1500).build());
        WaitEvent started = events.next();
        assertThat(started.getStarted().getNodeIdsList()).contains("wait-good", "wait-bad", "wait-silent");

        good.ack(good.next().getRevision(), "");
        bad.ack(bad.next().getRevision(), "HTTPServer web cannot listen on 127.0.0.3:80: Address already in use");
        silent.next();

        List<NodeOutcome> outcomes = new ArrayList<>();
        events.forEachRemaining(e -> outcomes.add(e.getNode()));
        assertThat(outcomes).filteredOn(o -> o.getNodeId().startsWith("wait-")).extracting(NodeOutcome::getNodeId, NodeOutcome::getOutcome)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("wait-good", NodeOutcome.Outcome.APPLIED),
                        org.assertj.core.groups.Tuple.tuple("wait-bad", NodeOutcome.Outcome.REJECTED),
                        org.assertj.core.groups.Tuple.tuple("wait-silent", NodeOutcome.Outcome.TIMED_OUT));
        NodeOutcome rejected = outcomes.stream().filter(o -> o.getNodeId().equals("wait-bad")).findFirst().orElseThrow();
        assertThat(rejected.getError()).contains("Address already in use");
        NodeOutcome applied = outcomes.stream().filter(o -> o.getNodeId().equals("wait-good")).findFirst().orElseThrow();
        assertThat(applied.getDelayMillis()).isBetween(0L, 5_000L);

        DescribeResponse described = cp.cluster().describe(GetRequest.newBuilder()
                .setKey(ObjectKey.newBuilder().setKind("pl").setName("waited")).build());
        assertThat(described.getObject().getJson()).contains("\"name\":\"waited\"");
        assertThat(described.getNodesList()).extracting(NodeObjectStatus::getNodeId, NodeObjectStatus::getStatus)
                .contains(org.assertj.core.groups.Tuple.tuple("wait-good", "applied"),
                        org.assertj.core.groups.Tuple.tuple("wait-bad", "rejected"),
                        org.assertj.core.groups.Tuple.tuple("wait-silent", "pending"));
        for (TestNode n : List.of(good, bad, silent)) {
            n.close();
        }
    }

    /** A node that runs a revision it could not save says so: the wait, the member list and the console show it until a clean ACK. */
    @Test
    void aWarningOfAnAppliedRevisionIsShownUntilTheNextCleanAck() throws Exception {
        TestNode node = TestNode.connect(cp.discovery(), "warned");
        node.ack(node.next().getRevision(), "");
        WriteResponse written = cp.objects().apply(documents(TestObjects.pipeline("warned-of")));
        Iterator<WaitEvent> events = cp.cluster().waitForRevision(WaitRequest.newBuilder().setRevision(written.getRevision())
                .setCommittedAtMillis(written.getCommittedAtMillis()).setTimeoutMillis(5000).build());
        events.next();
        String warning = "applied, but not saved as the last-good config in /data (IOException: No space left on device)";
        node.ackWithWarning(node.next().getRevision(), warning);

        NodeOutcome outcome = nextOutcomeOf(events, "warned");
        assertThat(outcome.getOutcome()).isEqualTo(NodeOutcome.Outcome.APPLIED);
        assertThat(outcome.getWarning()).isEqualTo(warning);
        assertThat(outcome.getError()).isEmpty();
        assertThat(member("warned").getWarning()).isEqualTo(warning);
        assertThat(member("warned").getState()).isEqualTo(MemberState.READY);

        // Reconnected (a control plane restarted), the node says so in its hello: the warning stays.
        node.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !member("warned").getConnected());
        node = TestNode.connect(cp.discovery(), NodeHello.newBuilder().setNodeId("warned").setAddress("127.0.0.2")
                .setAppliedEpoch(written.getEpoch()).setAppliedRevision(written.getRevision()).setAppliedWarning(warning).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> member("warned").getConnected());
        assertThat(member("warned").getWarning()).isEqualTo(warning);

        WriteResponse next = cp.objects().apply(documents(TestObjects.pipeline("saved")));
        node.ackUntil(next.getRevision());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> member("warned").getAppliedRevision() == next.getRevision());
        assertThat(member("warned").getWarning()).isEmpty();
        node.close();
    }

    private static Member member(String nodeId) {
        return cp.cluster().listMembers(ListMembersRequest.getDefaultInstance()).getMembersList().stream()
                .filter(m -> m.getNodeId().equals(nodeId)).findFirst().orElseThrow();
    }

    private static NodeOutcome nextOutcomeOf(Iterator<WaitEvent> events, String nodeId) {
        while (events.hasNext()) {
            WaitEvent event = events.next();
            if (event.hasNode() && event.getNode().getNodeId().equals(nodeId)) {
                return event.getNode();
            }
        }
        throw new AssertionError("the wait ended without an outcome for " + nodeId);
    }

    @Test
    void anUnchangedApplyWaitsForARevisionNodesActuallyRun() throws Exception {
        TestNode node = TestNode.connect(cp.discovery(), "unchanged-node");
        long applied = cp.objects().apply(documents(TestObjects.pipeline("same"))).getRevision();
        ConfigUpdate update = node.next();
        while (update.getRevision() < applied) {
            update = node.next();
        }
        node.ack(update.getRevision(), "");
        // Publishing the node's record writes to etcd and moves etcd's own revision past the config's.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                .until(() -> cp.replica().member("unchanged-node").filter(m -> m.getAppliedRevision() >= applied).isPresent());

        WriteResponse unchanged = cp.objects().apply(documents(TestObjects.pipeline("same")));

        assertThat(unchanged.getResultsList()).extracting(r -> r.getAction().name()).containsExactly("UNCHANGED");
        assertThat(unchanged.getRevision()).isEqualTo(update.getRevision());
        node.close();
    }

    @Test
    void aNodeWhoseAckWasLostWithItsConnectionIsAppliedWhenItComesBackSayingSo() throws Exception {
        TestNode node = TestNode.connect(cp.discovery(), "lost-ack");
        TestNode gone = TestNode.connect(cp.discovery(), "gone-node");
        node.ack(node.next().getRevision(), "");
        gone.ack(gone.next().getRevision(), "");
        WriteResponse written = cp.objects().apply(documents(TestObjects.pipeline("ack-lost")));
        Iterator<WaitEvent> events = cp.cluster().waitForRevision(WaitRequest.newBuilder().setRevision(written.getRevision())
                .setEpoch(written.getEpoch()).setCommittedAtMillis(written.getCommittedAtMillis()).setTimeoutMillis(20_000).build());
        assertThat(events.next().getStarted().getNodeIdsList()).contains("lost-ack", "gone-node");

        ConfigUpdate update = node.next();
        while (update.getRevision() < written.getRevision()) {
            update = node.next();
        }
        // It applied the change; its connection broke before the ACK went out, and it reconnects saying what it runs.
        node.close();
        gone.close();
        TestNode back = TestNode.connect(cp.discovery(), "lost-ack", written.getEpoch(), update.getRevision());

        long started = System.nanoTime();
        List<NodeOutcome> outcomes = new ArrayList<>();
        events.forEachRemaining(e -> {
            if (e.hasNode()) {
                outcomes.add(e.getNode());
            }
        });
        assertThat(outcomes).filteredOn(o -> o.getNodeId().equals("lost-ack")).singleElement()
                .satisfies(o -> assertThat(o.getOutcome()).isEqualTo(NodeOutcome.Outcome.APPLIED))
                .satisfies(o -> assertThat(o.getDelayMillis()).as("not known: said in a hello").isEqualTo(-1));
        assertThat(outcomes).filteredOn(o -> o.getNodeId().equals("gone-node")).extracting(NodeOutcome::getOutcome)
                .containsExactly(NodeOutcome.Outcome.DISCONNECTED);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a node that stays away ends the wait after the grace")
                .isLessThan(Duration.ofSeconds(15));
        back.close();
    }

    @Test
    void anUnchangedApplyIsNotChargedWithALaterRevisionTheNodeRejected() throws Exception {
        // The node runs "kept" and refused someone else's later change: re-applying "kept" changes nothing it lacks.
        TestNode node = TestNode.connect(cp.discovery(), "kept-node");
        long kept = cp.objects().apply(documents(TestObjects.pipeline("kept"))).getRevision();
        ConfigUpdate update = node.next();
        while (update.getRevision() < kept) {
            update = node.next();
        }
        node.ack(update.getRevision(), "");
        long other = cp.objects().apply(documents(TestObjects.pipeline("someone-elses"))).getRevision();
        update = node.next();
        while (update.getRevision() < other) {
            update = node.next();
        }
        node.ack(update.getRevision(), "HTTPServer web cannot listen on 127.0.0.3:80: Address already in use");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                .until(() -> cp.replica().member("kept-node").filter(m -> m.getRejectedRevision() >= other).isPresent());

        WriteResponse unchanged = cp.objects().apply(documents(TestObjects.pipeline("kept")));
        assertThat(unchanged.getRevision()).as("the revision that carries the object").isEqualTo(kept);
        Iterator<WaitEvent> events = cp.cluster().waitForRevision(WaitRequest.newBuilder().setRevision(unchanged.getRevision())
                .setEpoch(unchanged.getEpoch()).setCommittedAtMillis(unchanged.getCommittedAtMillis()).setTimeoutMillis(1500).build());
        List<NodeOutcome> outcomes = new ArrayList<>();
        events.forEachRemaining(e -> {
            if (e.hasNode()) {
                outcomes.add(e.getNode());
            }
        });
        assertThat(outcomes).filteredOn(o -> o.getNodeId().equals("kept-node")).extracting(NodeOutcome::getOutcome)
                .containsExactly(NodeOutcome.Outcome.APPLIED);
        node.close();
    }

    @Test
    void watchStreamsObjectChangesAndAcknowledgements() throws Exception {
        TestNode node = TestNode.connect(cp.discovery(), "watched");
        node.ack(node.next().getRevision(), "");
        BlockingQueue<ClusterEvent> events = new LinkedBlockingQueue<>();
        Context.CancellableContext watching = Context.current().withCancellation();
        watching.run(() -> cp.replica().clusterAsync().watch(WatchRequest.getDefaultInstance(), collect(events)));
        try {
            // The watch subscribes asynchronously: a change made before it did is part of its start, not an event.
            // So changes keep coming until one is reported; the first one after the subscription must be.
            long revision = 0;
            ClusterEvent change = null;
            for (int i = 0; change == null && i < 50; i++) {
                revision = cp.objects().apply(documents(TestObjects.pipeline("watched-object-" + i))).getRevision();
                node.ack(node.next().getRevision(), "");
                long applied = revision;
                change = poll(events, e -> e.hasObject() && e.getObject().getRevision() == applied, 200);
            }

            assertThat(change).as("an object change within 50 applies").isNotNull();
            assertThat(change.getObject().getKey().getName()).startsWith("watched-object-");
            assertThat(change.getObject().getAction().name()).isEqualTo("CREATED");

            // An earlier apply's ACK may still be in flight (node records reach the watch through etcd), so look for this one's.
            long changed = revision;
            ClusterEvent ack = nextMatching(events, e -> e.hasAck() && e.getAck().getNodeId().equals("watched")
                    && e.getAck().getRevision() == changed);
            assertThat(ack.getAck().getDelayMillis()).isBetween(0L, 5_000L);
        } finally {
            watching.cancel(null);
            node.close();
        }
    }

    static ClusterEvent nextMatching(BlockingQueue<ClusterEvent> events, java.util.function.Predicate<ClusterEvent> wanted)
            throws InterruptedException {
        ClusterEvent found = poll(events, wanted, 5_000);
        if (found == null) {
            throw new AssertionError("no matching cluster event within 5 s");
        }
        return found;
    }

    /** The next event {@code wanted} accepts within {@code millis} (others are dropped), or null. */
    static ClusterEvent poll(BlockingQueue<ClusterEvent> events, java.util.function.Predicate<ClusterEvent> wanted, long millis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            ClusterEvent e = events.poll(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS);
            if (e != null && wanted.test(e)) {
                return e;
            }
        }
        return null;
    }

    static StreamObserver<ClusterEvent> collect(BlockingQueue<ClusterEvent> events) {
        return new StreamObserver<>() {
            @Override
            public void onNext(ClusterEvent value) {
                events.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
