package io.edgegate.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.api.v1.ClusterEvent;
import io.edgegate.api.v1.Member;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.store.MemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the console and egctl watch follow: nodes come and go with every rollout, and gone ones are not kept. */
class ClusterChangesTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private ConfigCache startedCache() throws Exception {
        ConfigCache cache = new ConfigCache(new MemoryStore(), scheduler, Clock.systemUTC());
        cache.start();
        cache.ready().get(5, TimeUnit.SECONDS);
        return cache;
    }

    @Test
    void nodesForgottenByTheClusterAreForgottenHereAndAnnouncedAgainWhenTheyReturn() throws Exception {
        ClusterView view = new ClusterView(new MemberRegistry(Clock.systemUTC(), Duration.ofMinutes(10), "self:1"));
        view.replicas(Set.of("other:1"));
        ConfigCache cache = startedCache();
        List<ClusterEvent.Builder> events = new ArrayList<>();
        ClusterChanges changes = new ClusterChanges(view, cache, events::add);
        changes.start();

        for (int i = 0; i < 100; i++) {
            view.upserted(Member.newBuilder().setNodeId("pod-" + i).setConnected(true).setControlPlane("other:1").build());
            view.removed("pod-" + i);
        }
        assertThat(changes.followedMembers()).isZero();
        assertThat(events).hasSize(100).allMatch(e -> e.hasConnection() && e.getConnection().getConnected());

        view.upserted(Member.newBuilder().setNodeId("pod-7").setConnected(true).setControlPlane("other:1").build());
        assertThat(changes.followedMembers()).isEqualTo(1);
        assertThat(events.get(100).getConnection().getNodeId()).as("a returning node is announced as new").isEqualTo("pod-7");
        changes.close();
        cache.close();
    }

    @Test
    void aRevisionNamedInAHelloIsAConnectionNotAnApply() throws Exception {
        MemberRegistry local = new MemberRegistry(Clock.systemUTC(), Duration.ofMinutes(10), "self:1");
        ClusterView view = new ClusterView(local);
        ConfigCache cache = startedCache();
        List<ClusterEvent.Builder> events = new ArrayList<>();
        ClusterChanges changes = new ClusterChanges(view, cache, events::add);
        changes.start();
        Object session = new Object();

        local.connected(io.edgegate.api.v1.NodeHello.newBuilder().setNodeId("n1").setAppliedEpoch("earlier-history")
                .setAppliedRevision(57).build(), session);
        assertThat(events).hasSize(1).allMatch(e -> e.hasConnection() && e.getConnection().getConnected());

        local.applied("n1", session, cache.current().epoch().id(), 58);
        assertThat(events).hasSize(2);
        assertThat(events.get(1).getAck().getRevision()).isEqualTo(58);
        changes.close();
        cache.close();
    }
}
