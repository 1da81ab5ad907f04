package io.edgegate.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.ConfigAck;
import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.NodeHello;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectPatch;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.spec.codec.TextChange;
import io.edgegate.testkit.FreePorts;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node told of a large object's change as a patch applies it to the object it holds, and
 * one told to patch a version it does not hold starts over with a full snapshot.
 */
class ConfigPatchTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @RegisterExtension
    final AgentUnderTest under = AgentUnderTest.started(node, "patched");

    private final int port = FreePorts.pick();

    @Test
    void aPatchOfTheHeldRevisionIsAppliedAndServed() throws Exception {
        assertThat(FakeControlPlane.next(under.controlPlane().hellos).getAcceptsPatches()).as("the node says it takes patches").isTrue();
        StreamObserver<ConfigUpdate> stream = FakeControlPlane.next(under.controlPlane().streams);
        String before = server("/changing-1");
        stream.onNext(snapshot(before));
        assertThat(FakeControlPlane.next(under.controlPlane().acks).getError()).isEmpty();
        assertThat(node.get(port, "/changing-1").statusCode()).isEqualTo(200);

        String after = server("/changing-2");
        stream.onNext(ConfigUpdate.newBuilder().setEpoch("e").setRevision(2).addPatches(patch(before, after, 1)).build());

        ConfigAck ack = FakeControlPlane.next(under.controlPlane().acks);
        assertThat(ack.getRevision()).isEqualTo(2);
        assertThat(ack.getError()).isEmpty();
        assertThat(node.get(port, "/changing-2").statusCode()).isEqualTo(200);
        assertThat(node.get(port, "/changing-1").statusCode()).isEqualTo(404);
        assertThat(node.get(port, "/exact-999").statusCode()).isEqualTo(200);
    }

    @Test
    void aPatchOfARevisionTheNodeDoesNotHoldEndsTheStreamAndTheNodeAsksAgain() throws Exception {
        FakeControlPlane.next(under.controlPlane().hellos);
        StreamObserver<ConfigUpdate> stream = FakeControlPlane.next(under.controlPlane().streams);
        String before = server("/changing-1");
        stream.onNext(snapshot(before));
        assertThat(FakeControlPlane.next(under.controlPlane().acks).getRevision()).isEqualTo(1);

        stream.onNext(ConfigUpdate.newBuilder().setEpoch("e").setRevision(2).addPatches(patch(before, server("/changing-2"), 7)).build());

        NodeHello again = FakeControlPlane.next(under.controlPlane().hellos);
        assertThat(again.getAppliedRevision()).as("it still runs what it had").isEqualTo(1);
        assertThat(under.controlPlane().acks.poll(200, TimeUnit.MILLISECONDS)).as("no ACK of a revision it could not build").isNull();
        assertThat(node.get(port, "/changing-1").statusCode()).isEqualTo(200);
        assertThat(node.get(port, "/changing-2").statusCode()).isEqualTo(404);

        // A patch whose base is the right revision but not the right text (shorter than what it keeps) is refused too.
        StreamObserver<ConfigUpdate> second = FakeControlPlane.next(under.controlPlane().streams);
        second.onNext(snapshot(before));
        assertThat(FakeControlPlane.next(under.controlPlane().acks).getRevision()).isEqualTo(1);
        second.onNext(ConfigUpdate.newBuilder().setEpoch("e").setRevision(2).addPatches(ObjectPatch.newBuilder()
                .setKey(key()).setRevision(2).setBaseRevision(1).setKeepPrefix(before.length()).setKeepSuffix(10)
                .setMiddle("").setLength(before.length() + 10)).build());
        FakeControlPlane.next(under.controlPlane().hellos);
        await().atMost(Duration.ofSeconds(5)).until(() -> !under.controlPlane().streams.isEmpty());
        assertThat(node.get(port, "/changing-1").statusCode()).isEqualTo(200);
    }

    private ConfigUpdate snapshot(String serverJson) throws Exception {
        return ConfigUpdate.newBuilder().setEpoch("e").setRevision(1).setFullSnapshot(true)
                .addUpserts(StoredObject.newBuilder().setKey(key()).setRevision(1).setJson(serverJson))
                .addUpserts(StoredObject.newBuilder().setKey(ObjectKey.newBuilder().setKind("HTTPPipeline").setName("p")).setRevision(1)
                        .setJson(FakeControlPlane.json("kind: HTTPPipeline\nname: p\nfilters:\n- name: answer\n  kind: Mock\n  rules:\n  - code: 200\n")))
                .build();
    }

    private static ObjectKey key() {
        return ObjectKey.newBuilder().setKind("HTTPServer").setName("routes").build();
    }

    private static ObjectPatch patch(String before, String after, long baseRevision) {
        TextChange change = TextChange.between(before, after);
        return ObjectPatch.newBuilder().setKey(key()).setRevision(2).setBaseRevision(baseRevision).setKeepPrefix(change.keepPrefix())
                .setKeepSuffix(change.keepSuffix()).setMiddle(change.middle()).setLength(change.length()).build();
    }

    /** A server of 1,000 routes (~40 KB of JSON) and one that changes. */
    private String server(String changing) throws Exception {
        StringBuilder yaml = new StringBuilder("kind: HTTPServer\nname: routes\nport: " + port + "\nrules:\n- paths:\n");
        for (int i = 0; i < 1000; i++) {
            yaml.append("  - path: /exact-").append(i).append("\n    backend: p\n");
            if (i == 500) {
                yaml.append("  - path: ").append(changing).append("\n    backend: p\n");
            }
        }
        return FakeControlPlane.json(yaml.toString());
    }


}
