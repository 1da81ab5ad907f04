package io.edgegate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.Heartbeat;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectLiveStatus;
import io.edgegate.testkit.EtcdProcess;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a node costs etcd. Its live state carries counters that move with traffic (a rate
 * limiter's admitted requests), so it changes at every heartbeat of a busy node: it reaches other
 * replicas with the node's refreshed record, not as a write of its own each time.
 */
class MemberRecordWritesTest {

    @Test
    void aBusyNodesLiveStateIsNotWrittenToEtcdAtEveryHeartbeat() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(); Replica cp = Replica.start(etcd.endpoint());
             Client direct = Client.builder().endpoints(etcd.endpoint()).build()) {
            TestNode node = TestNode.connect(cp.discovery(), "busy");
            ConfigUpdate first = node.next();
            node.ack(first.getRevision(), "");
            await().atMost(Duration.ofSeconds(5)).until(() -> cp.cluster().listMembers(ListMembersRequest.getDefaultInstance())
                    .getMembersList().stream().anyMatch(m -> m.getNodeId().equals("busy") && m.getAppliedRevision() == first.getRevision()));

            AtomicInteger writes = new AtomicInteger();
            try (Watch.Watcher watcher = direct.getWatchClient().watch(ByteSequence.from("/edgegate/members/busy", StandardCharsets.UTF_8),
                    WatchOption.DEFAULT, response -> writes.addAndGet(response.getEvents().size()))) {
                for (int i = 1; i <= 20; i++) {
                    node.heartbeat(Heartbeat.newBuilder().setEpoch(first.getEpoch()).setRevision(first.getRevision()).addLive(ObjectLiveStatus.newBuilder()
                            .setKey(ObjectKey.newBuilder().setKind("HTTPPipeline").setName("limited"))
                            .addLines(i * 100 + " admitted at once, 0 after waiting for a permit, 0 refused (429)")).build());
                    Thread.sleep(100); // heartbeats come apart; the publisher flushes every 100 ms
                }
                // This replica's own view follows the live state as it comes.
                await().atMost(Duration.ofSeconds(2)).until(() -> cp.cluster().listMembers(ListMembersRequest.getDefaultInstance())
                        .getMembersList().stream().filter(m -> m.getNodeId().equals("busy")).findFirst().orElseThrow()
                        .getLive(0).getLines(0).startsWith("2000 admitted"));
            }
            assertThat(writes.get()).as("at most the 10 s refresh, not one write per heartbeat").isLessThanOrEqualTo(1);
            node.close();
        }
    }
}
