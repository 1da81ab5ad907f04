package io.edgegate.controlplane;

import static io.edgegate.controlplane.RunningControlPlane.documents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.ListRequest;
import io.edgegate.api.v1.ListResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** While etcd is away: writes fail at once and say so, reads answer from the cache and say so, nodes keep their stream. */
class EtcdOutageTest {

    @RegisterExtension
    static final RunningControlPlane cp = new RunningControlPlane();


    @Test
    void writesFailFastReadsAreMarkedStaleAndEverythingResumes() throws Exception {
        long before = cp.objects().apply(documents(TestObjects.pipeline("before"))).getRevision();
        TestNode node = TestNode.connect(cp.discovery(), "outage-node");
        ConfigUpdate seen = node.next();
        while (seen.getRevision() < before) {
            // The cache follows etcd by a watch: wait until it holds the write before etcd goes away.
            seen = node.next();
        }
        node.ack(seen.getRevision(), "");

        cp.etcd().stop();
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> cp.objects().apply(documents(TestObjects.pipeline("during"))))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).contains("etcd at " + cp.etcd().endpoint()).contains("nothing was changed");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));

            ListResponse stale = cp.objects().list(ListRequest.getDefaultInstance());
            assertThat(stale.getStale()).isTrue();
            assertThat(stale.getStaleReason()).contains("etcd at").contains("may be stale");
            assertThat(stale.getObjectsList()).extracting(o -> o.getKey().getName()).contains("before");
            await().atMost(Duration.ofSeconds(5)).until(() -> !cp.controlPlane().cache().storeReachable());
            io.edgegate.api.v1.ListMembersResponse members = cp.cluster().listMembers(io.edgegate.api.v1.ListMembersRequest.getDefaultInstance());
            assertThat(members.getStale()).as("get members through a replica cut off from etcd").isTrue();
            assertThat(members.getStaleReason()).contains("does not reach etcd");
        } finally {
            cp.etcd().restart();
        }

        long revision = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> cp.objects().apply(documents(TestObjects.pipeline("after"))).getRevision(), r -> r > 0);
        ConfigUpdate update = await().atMost(Duration.ofSeconds(10)).until(() -> node.poll(500),
                u -> u != null && u.getRevision() >= revision);
        assertThat(update.getUpsertsList()).extracting(o -> o.getKey().getName()).contains("after");
        // The change came through the cache's watch: etcd answers, whatever the last probe (a second ago) said.
        assertThat(cp.controlPlane().cache().storeReachable()).isTrue();
        assertThat(cp.objects().list(ListRequest.getDefaultInstance()).getStale()).isFalse();
        assertThat(cp.cluster().listMembers(io.edgegate.api.v1.ListMembersRequest.getDefaultInstance()).getStale()).isFalse();
        node.close();
    }
}
