package io.edgegate.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.api.v1.ConfigAck;
import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.NodeHello;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.runtime.LastGoodConfig;
import io.edgegate.testkit.FreePorts;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An ACK promises the node can serve the revision again after a restart. A node that runs a
 * revision but cannot save it (a full or read-only disk) says so in its ACK instead of keeping quiet.
 */
class LastGoodSaveFailureTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @RegisterExtension
    final AgentUnderTest under = new AgentUnderTest(node, "unsaved");

    private final int port = FreePorts.pick();

    @Test
    void aRevisionThatCannotBeSavedIsAppliedAndTheAckSaysSoUntilASaveWorksAgain() throws Exception {
        // Where the objects' folder must go there is a file: every save fails, as on a disk gone read-only.
        Path blocker = under.dataDir().resolve("last-good");
        Files.writeString(blocker, "not a folder");
        under.agent().start();
        StreamObserver<ConfigUpdate> stream = FakeControlPlane.next(under.controlPlane().streams);

        stream.onNext(update(1, "/first"));
        ConfigAck unsaved = FakeControlPlane.next(under.controlPlane().acks);
        assertThat(unsaved.getError()).as("the revision runs").isEmpty();
        assertThat(unsaved.getWarning()).contains("applied, but not saved as the last-good config in " + under.dataDir())
                .contains("would serve an older config");
        assertThat(node.get(port, "/first").statusCode()).isEqualTo(200);

        // On a new stream (its control plane restarted, say) the node says so again in its hello.
        assertThat(FakeControlPlane.next(under.controlPlane().hellos).getAppliedWarning()).isEmpty();
        stream.onCompleted();
        NodeHello again = FakeControlPlane.next(under.controlPlane().hellos);
        assertThat(again.getAppliedRevision()).isEqualTo(1);
        assertThat(again.getAppliedWarning()).isEqualTo(unsaved.getWarning());
        stream = FakeControlPlane.next(under.controlPlane().streams);

        Files.delete(blocker);
        stream.onNext(update(2, "/second"));
        ConfigAck saved = FakeControlPlane.next(under.controlPlane().acks);
        assertThat(saved.getError()).isEmpty();
        assertThat(saved.getWarning()).isEmpty();
        assertThat(new LastGoodConfig(under.dataDir()).load()).get().extracting(LastGoodConfig.Saved::revision).isEqualTo(2L);
        assertThat(node.get(port, "/second").statusCode()).isEqualTo(200);
    }

    private ConfigUpdate update(long revision, String path) throws Exception {
        return ConfigUpdate.newBuilder().setEpoch("e").setRevision(revision).setFullSnapshot(true)
                .addUpserts(StoredObject.newBuilder().setKey(ObjectKey.newBuilder().setKind("HTTPServer").setName("server"))
                        .setRevision(revision)
                        .setJson(FakeControlPlane.json("kind: HTTPServer\nname: server\nport: " + port + "\nrules:\n- paths:\n  - path: " + path
                                + "\n    backend: p\n")))
                .addUpserts(StoredObject.newBuilder().setKey(ObjectKey.newBuilder().setKind("HTTPPipeline").setName("p")).setRevision(1)
                        .setJson(FakeControlPlane.json("kind: HTTPPipeline\nname: p\nfilters:\n- name: answer\n  kind: Mock\n  rules:\n  - code: 200\n")))
                .build();
    }


}
