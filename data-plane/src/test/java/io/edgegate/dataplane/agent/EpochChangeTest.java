package io.edgegate.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.api.v1.ConfigAck;
import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.FreePorts;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node moving to a new store epoch (an etcd restore) on one stream. */
class EpochChangeTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @RegisterExtension
    final AgentUnderTest under = new AgentUnderTest(node, "moving");


    @Test
    void aNodeThatCouldNotApplyANewEpochsSnapshotTakesTheFixThatFollowsIt() throws Exception {
        // It refused every later change of the new epoch as "a partial update", until its stream happened to reconnect.
        int first = FreePorts.pick();
        int moved = FreePorts.pick();
        under.agent().start();
        StreamObserver<ConfigUpdate> stream = FakeControlPlane.next(under.controlPlane().streams);
        stream.onNext(update("e1", 1, true, first, "/first"));
        assertThat(FakeControlPlane.next(under.controlPlane().acks).getError()).isEmpty();

        try (ServerSocket taken = new ServerSocket(moved, 50, InetAddress.getByName("127.0.0.1"))) {
            stream.onNext(update("e2", 5, true, moved, "/second"));
            assertThat(FakeControlPlane.next(under.controlPlane().acks).getError()).contains("cannot listen");
        }
        stream.onNext(update("e2", 6, false, moved, "/third"));
        ConfigAck fixed = FakeControlPlane.next(under.controlPlane().acks);
        assertThat(fixed.getError()).isEmpty();
        assertThat(fixed.getEpoch()).isEqualTo("e2");
        assertThat(node.get(moved, "/third").statusCode()).isEqualTo(200);
    }

    private ConfigUpdate update(String epoch, long revision, boolean full, int port, String path) throws Exception {
        ConfigUpdate.Builder update = ConfigUpdate.newBuilder().setEpoch(epoch).setRevision(revision).setFullSnapshot(full)
                .addUpserts(StoredObject.newBuilder().setKey(ObjectKey.newBuilder().setKind("HTTPServer").setName("server"))
                        .setRevision(revision)
                        .setJson(FakeControlPlane.json("kind: HTTPServer\nname: server\nport: " + port + "\nrules:\n- paths:\n  - path: " + path
                                + "\n    backend: p\n")));
        if (full) {
            update.addUpserts(StoredObject.newBuilder().setKey(ObjectKey.newBuilder().setKind("HTTPPipeline").setName("p"))
                    .setRevision(1)
                    .setJson(FakeControlPlane.json("kind: HTTPPipeline\nname: p\nfilters:\n- name: answer\n  kind: Mock\n  rules:\n  - code: 200\n")));
        }
        return update.build();
    }

}
