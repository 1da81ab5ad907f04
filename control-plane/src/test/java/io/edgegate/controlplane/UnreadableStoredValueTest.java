package io.edgegate.controlplane;

import static io.edgegate.controlplane.RunningControlPlane.documents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.DeleteRequest;
import io.edgegate.api.v1.GetRequest;
import io.edgegate.api.v1.ListRequest;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.api.v1.WriteResponse;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.testkit.EtcdProcess;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Values written into etcd around the control plane that cannot be read (damaged gzip, a gzip
 * bomb): the control plane keeps following the store, nodes are sent the object as it is (and a
 * node refuses it as any malformed object), and the operator can see it, replace it or delete it.
 */
class UnreadableStoredValueTest {

    private static final String KEY = "/edgegate/objects/Pipeline/damaged";
    private static final byte[] DAMAGED_GZIP = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 'n', 'o', 't', ' ', 'd', 'e', 'f', 'l', 'a', 't', 'e'};

    private static StoredObject sent(ConfigUpdate update, String name) {
        return update.getUpsertsList().stream().filter(o -> o.getKey().getName().equals(name)).findFirst().orElseThrow();
    }

    private static long putAround(Client direct, byte[] value) throws Exception {
        return direct.getKVClient().put(ByteSequence.from(KEY, StandardCharsets.UTF_8), ByteSequence.from(value))
                .get().getHeader().getRevision();
    }

    private static ObjectKey damagedKey() {
        return ObjectKey.newBuilder().setKind("Pipeline").setName("damaged").build();
    }

    @Test
    void aDamagedCompressedValueIsSentAsItIsAndNeitherStopsLaterChangesNorAFreshStart() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(); Replica cp = Replica.start(etcd.endpoint());
             Client direct = Client.builder().endpoints(etcd.endpoint()).build()) {
            WriteResponse first = cp.objects().apply(documents(TestObjects.pipeline("kept")));
            TestNode node = TestNode.connect(cp.discovery(), "node-1");
            node.ackUntil(first.getRevision());

            long damaged = putAround(direct, DAMAGED_GZIP);
            StoredObject sent = sent(node.ackUntil(damaged), "damaged");
            assertThat(sent.getRevision()).isEqualTo(damaged);
            assertThatThrownBy(() -> new DocumentParser().parseJson(sent.getJson()))
                    .as("a node refuses it as any malformed object").isInstanceOf(SpecException.class);

            WriteResponse later = cp.objects().apply(documents(TestObjects.pipeline("later")));
            assertThat(node.ackUntil(later.getRevision()).getRevision()).as("later changes still flow").isEqualTo(later.getRevision());
            assertThatThrownBy(() -> cp.objects().list(ListRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                        assertThat(e.getStatus().getDescription())
                                .contains("Pipeline/damaged as stored in etcd cannot be read", "egctl apply", "egctl delete");
                    });

            try (Replica fresh = Replica.start(etcd.endpoint())) {
                TestNode other = TestNode.connect(fresh.discovery(), "node-2");
                ConfigUpdate whole = other.next();
                assertThat(whole.getUpsertsList()).extracting(o -> o.getKey().getName())
                        .as("a control plane started afresh loads the store").containsExactlyInAnyOrder("kept", "later", "damaged");
                other.close();
            }

            WriteResponse repaired = cp.objects().apply(documents(TestObjects.pipeline("damaged")));
            assertThat(new DocumentParser().parseJson(sent(node.ackUntil(repaired.getRevision()), "damaged").getJson())
                    .get("name").asText()).isEqualTo("damaged");
            assertThat(cp.objects().get(GetRequest.newBuilder().setKey(damagedKey()).build()).getObject().getJson())
                    .contains("\"name\":\"damaged\"");
            node.close();
        }
    }

    @Test
    void aValueThatInflatesBeyondAnythingEdgeGateWritesIsSentCompressedAndCanBeDeleted() throws Exception {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i <= 64; i++) {
                gzip.write(zeros);
            }
        }
        try (EtcdProcess etcd = EtcdProcess.start(); Replica cp = Replica.start(etcd.endpoint());
             Client direct = Client.builder().endpoints(etcd.endpoint()).build()) {
            TestNode node = TestNode.connect(cp.discovery(), "node-1");
            long planted = putAround(direct, bomb.toByteArray());
            StoredObject sent = sent(node.ackUntil(planted), "damaged");
            assertThat(sent.getJson().length()).as("not inflated").isLessThan(bomb.size() + 1);

            cp.objects().delete(DeleteRequest.newBuilder().addKeys(damagedKey()).build());
            ConfigUpdate deleted = node.next();
            assertThat(deleted.getDeletesList()).extracting(ObjectKey::getName).containsExactly("damaged");
            assertThat(cp.objects().list(ListRequest.getDefaultInstance()).getObjectsList()).isEmpty();
            node.close();
        }
    }
}
