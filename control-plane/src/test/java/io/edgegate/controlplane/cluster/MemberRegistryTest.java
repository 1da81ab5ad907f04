package io.edgegate.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.api.v1.Heartbeat;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.NodeHello;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectLiveStatus;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a replica keeps of a node's live state: only what describes the config the node says it runs. */
class MemberRegistryTest {

    private static final String EPOCH = "epoch-1";

    private final MemberRegistry registry = new MemberRegistry(Clock.systemUTC(), Duration.ofMinutes(10), "self:1");
    private final Object session = new Object();

    private static Heartbeat heartbeat(long revision, String line) {
        return Heartbeat.newBuilder().setEpoch(EPOCH).setRevision(revision)
                .addLive(ObjectLiveStatus.newBuilder().setKey(ObjectKey.newBuilder().setKind("HTTPPipeline").setName("orders"))
                        .addLines(line))
                .build();
    }

    private Member node() {
        return registry.get("n1").orElseThrow();
    }

    private void connectedAt(long revision) {
        registry.connected(NodeHello.newBuilder().setNodeId("n1").setAppliedEpoch(EPOCH).setAppliedRevision(revision).build(), session);
    }

    @Test
    void aHeartbeatOfTheAppliedConfigIsShown() {
        connectedAt(7);
        registry.seen("n1", session, heartbeat(7, "circuit OPEN"));
        assertThat(node().getLiveList()).singleElement().satisfies(live -> assertThat(live.getLinesList()).containsExactly("circuit OPEN"));
        assertThat(node().getLiveRevision()).isEqualTo(7);
    }

    @Test
    void anApplyHidesWhatTheObjectsOfTheConfigBeforeSaid() {
        // `apply --wait && describe` showed the old filter's OPEN circuit beside "applied" until the next heartbeat.
        connectedAt(7);
        registry.seen("n1", session, heartbeat(7, "circuit OPEN"));
        registry.applied("n1", session, EPOCH, 8);
        assertThat(node().getLiveList()).isEmpty();
        registry.seen("n1", session, heartbeat(8, "circuit CLOSED"));
        assertThat(node().getLiveList()).singleElement().satisfies(live -> assertThat(live.getLinesList()).containsExactly("circuit CLOSED"));
    }

    @Test
    void aHeartbeatReadBeforeTheApplyAndReceivedAfterItsAckIsNotShown() {
        connectedAt(7);
        registry.applied("n1", session, EPOCH, 8);
        registry.seen("n1", session, heartbeat(7, "circuit OPEN"));
        assertThat(node().getLiveList()).isEmpty();
    }

    @Test
    void aNodeOfAnEarlierVersionThatSaysNoConfigHasItsLiveStateShownAsItComes() {
        // Control planes are upgraded first: older nodes' heartbeats carry no epoch or revision.
        connectedAt(7);
        registry.seen("n1", session, heartbeat(7, "circuit OPEN").toBuilder().clearEpoch().clearRevision().build());
        assertThat(node().getLiveList()).singleElement().satisfies(live -> assertThat(live.getLinesList()).containsExactly("circuit OPEN"));
    }

    @Test
    void aHeartbeatOfTheNewConfigThatOvertookItsAckIsKept() {
        connectedAt(7);
        registry.seen("n1", session, heartbeat(8, "circuit CLOSED"));
        registry.applied("n1", session, EPOCH, 8);
        assertThat(node().getLiveList()).singleElement().satisfies(live -> assertThat(live.getLinesList()).containsExactly("circuit CLOSED"));
    }
}
