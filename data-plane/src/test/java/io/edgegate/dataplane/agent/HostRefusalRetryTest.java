package io.edgegate.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.api.v1.ConfigAck;
import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.FreePorts;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A revision refused because of the host (a port another program holds) is tried again until it runs, and
 * its ACK then follows the NACK: the node no longer waits for an unrelated change to serve it.
 */
class HostRefusalRetryTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @RegisterExtension
    final AgentUnderTest under = new AgentUnderTest(node, "retrying");

    private final int port = FreePorts.pick();

    @Test
    void aRevisionRefusedForAPortAnotherProgramHeldRunsOnceThePortIsFree() throws Exception {
        under.agent().start();
        StreamObserver<ConfigUpdate> stream = FakeControlPlane.next(under.controlPlane().streams);
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress("0.0.0.0", port));
            stream.onNext(update(7));
            ConfigAck refused = FakeControlPlane.next(under.controlPlane().acks);
            assertThat(refused.getRevision()).isEqualTo(7);
            assertThat(refused.getError()).contains("cannot listen on");
            // While the port stays taken the tries say nothing more.
            assertThat(under.controlPlane().acks.poll(ConfigAgent.RETRY_FIRST.toMillis() + 1_000, TimeUnit.MILLISECONDS)).isNull();
        }

        ConfigAck applied = under.controlPlane().acks.poll(ConfigAgent.RETRY_MAX.toSeconds() + 10, TimeUnit.SECONDS);
        assertThat(applied).as("the ACK of the same revision, once the port is free").isNotNull();
        assertThat(applied.getRevision()).isEqualTo(7);
        assertThat(applied.getError()).isEmpty();
        assertThat(node.get(port, "/retried").statusCode()).isEqualTo(200);
    }

    @Test
    void aRefusalTheConfigCausesIsNotTriedAgain() throws Exception {
        under.agent().start();
        StreamObserver<ConfigUpdate> stream = FakeControlPlane.next(under.controlPlane().streams);
        ConfigUpdate twoOnOnePort = update(3).toBuilder()
                .addUpserts(StoredObject.newBuilder().setKey(ObjectKey.newBuilder().setKind("HTTPServer").setName("twin")).setRevision(3)
                        .setJson(FakeControlPlane.json("kind: HTTPServer\nname: twin\nport: " + port
                                + "\nrules:\n- paths:\n  - path: /twin\n    backend: p\n")))
                .build();
        stream.onNext(twoOnOnePort);
        assertThat(FakeControlPlane.next(under.controlPlane().acks).getError()).contains("both listen on");

        assertThat(under.controlPlane().acks.poll(ConfigAgent.RETRY_FIRST.toMillis() * 2, TimeUnit.MILLISECONDS)).isNull();
    }

    private ConfigUpdate update(long revision) throws Exception {
        return ConfigUpdate.newBuilder().setEpoch("e").setRevision(revision).setFullSnapshot(true)
                .addUpserts(StoredObject.newBuilder().setKey(ObjectKey.newBuilder().setKind("HTTPServer").setName("server"))
                        .setRevision(revision)
                        .setJson(FakeControlPlane.json("kind: HTTPServer\nname: server\nport: " + port
                                + "\nrules:\n- paths:\n  - path: /retried\n    backend: p\n")))
                .addUpserts(StoredObject.newBuilder().setKey(ObjectKey.newBuilder().setKind("HTTPPipeline").setName("p")).setRevision(1)
                        .setJson(FakeControlPlane.json("kind: HTTPPipeline\nname: p\nfilters:\n- name: answer\n  kind: Mock\n  rules:\n  - code: 200\n")))
                .build();
    }
}
