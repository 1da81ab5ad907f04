package io.edgegate.controlplane;

import static io.edgegate.controlplane.RunningControlPlane.documents;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.api.v1.ConfigUpdate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node that stops reading is not queued a backlog: when it reads again it is sent the newest state. */
class SlowNodeTest {

    @RegisterExtension
    static final RunningControlPlane cp = RunningControlPlane.inMemory();

    @Test
    void aPausedNodeSkipsToTheNewestRevision() throws Exception {
        // Large objects fill the stream's flow-control window quickly, so the control plane must hold back.
        String padding = "x".repeat(200_000);
        TestNode node = TestNode.connect(cp.discovery(), "paused", true);
        long last = 0;
        for (int i = 0; i < 60; i++) {
            String pipeline = """
                    name: big
                    kind: Pipeline
                    filters:
                    - {name: proxy, kind: Proxy, pools: [{servers: [{url: "http://127.0.0.1:9095", tags: [%s]}]}]}
                    """.formatted(padding + i);
            last = cp.objects().apply(documents(pipeline)).getRevision();
        }

        List<ConfigUpdate> received = new ArrayList<>();
        node.request(Integer.MAX_VALUE);
        ConfigUpdate update;
        while ((update = node.poll(1000)) != null) {
            received.add(update);
            if (update.getRevision() == last) {
                break;
            }
        }

        assertThat(received).isNotEmpty();
        assertThat(received.get(received.size() - 1).getRevision()).isEqualTo(last);
        assertThat(received.get(received.size() - 1).getUpsertsList().get(0).getJson()).contains(padding + 59);
        // 60 changes happened; the paused node got far fewer messages than that.
        assertThat(received.size()).isLessThan(30);
        node.close();
    }
}
