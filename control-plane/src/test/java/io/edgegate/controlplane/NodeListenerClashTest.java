package io.edgegate.controlplane;

import static io.edgegate.controlplane.RunningControlPlane.documents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.Action;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListRequest;
import io.edgegate.api.v1.NodeHello;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Servers the spec lets share a port, or that take a port a node holds for itself, are refused at the
 * write when a connected node says it would refuse them: a node refuses its whole config for one such
 * server, and every later change with it.
 */
class NodeListenerClashTest {

    @RegisterExtension
    static final RunningControlPlane cp = RunningControlPlane.inMemory();

    private static final String PIPELINE = """
            name: pl
            kind: HTTPPipeline
            filters:
            - name: proxy
              kind: Proxy
              mainPool:
                servers:
                - url: http://127.0.0.1:9095
            """;

    private static String server(String name, String portAndAddress) {
        return "kind: HTTPServer\nname: " + name + "\n" + portAndAddress + "\nrules:\n- paths:\n  - pathPrefix: /\n    backend: pl\n";
    }

    @Test
    void serversANodeWouldRefuseAreRefusedAtTheWriteAndNothingIsWritten() {
        // Before any node says what it holds, the spec alone decides: two addresses may share a port.
        cp.objects().apply(documents(PIPELINE, server("inside", "port: 10100\naddress: 127.0.0.1")));
        assertThat(cp.objects().apply(documents(server("outside", "port: 10100\naddress: 127.0.0.5")))
                .getResults(0).getAction()).isEqualTo(Action.CREATED);
        cp.objects().delete(io.edgegate.api.v1.DeleteRequest.newBuilder()
                .addKeys(io.edgegate.api.v1.ObjectKey.newBuilder().setKind("HTTPServer").setName("outside")).build());

        // Two nodes as the local cluster starts them (every server on the node's address, admin beside it), one without either.
        TestNode first = TestNode.connect(cp.discovery(), NodeHello.newBuilder().setNodeId("node-1").setAddress("127.0.0.2")
                .setVersion("test").setListenAddress("127.0.0.2").setAdminListener("127.0.0.2:9901").build());
        TestNode second = TestNode.connect(cp.discovery(), NodeHello.newBuilder().setNodeId("node-2").setAddress("127.0.0.3")
                .setVersion("test").setListenAddress("127.0.0.3").setAdminListener("127.0.0.3:9901").build());
        TestNode plain = TestNode.connect(cp.discovery(), NodeHello.newBuilder().setNodeId("node-3").setAddress("0.0.0.0")
                .setVersion("test").setAdminListener("127.0.0.1:9911").build());
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.cluster().listMembers(ListMembersRequest.getDefaultInstance())
                .getMembersList().stream().filter(m -> !m.getAdminListener().isEmpty()).count() == 3);

        assertThatThrownBy(() -> cp.objects().apply(documents(server("outside", "port: 10100\naddress: 127.0.0.5"))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).isEqualTo("test.yaml, document 1: HTTPServer/outside cannot listen "
                            + "on port 10100 on 127.0.0.5: HTTPServer/inside on 127.0.0.1 does, and node node-1 binds every server "
                            + "on 127.0.0.2 (its --listen-address): it would refuse both (nothing was written: give it another port)");
                });
        assertThatThrownBy(() -> cp.objects().apply(documents(server("metrics", "port: 9901"))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
                        .isEqualTo("test.yaml, document 1: HTTPServer/metrics cannot listen on port 9901 on 127.0.0.2: the admin "
                                + "listener of node node-1 is on 127.0.0.2:9901, and the node would refuse it (nothing was "
                                + "written: give it another port)"));
        assertThatThrownBy(() -> cp.objects().apply(documents(server("inside", "port: 9911\naddress: 127.0.0.1"))))
                .as("a node binding each server's own address, on its admin address")
                .hasMessageContaining("HTTPServer/inside cannot listen on port 9911 on 127.0.0.1: the admin listener of node node-3 "
                        + "is on 127.0.0.1:9911");
        assertThatThrownBy(() -> cp.objects().apply(documents(server("any", "port: 9911"))))
                .as("every address includes the admin one").hasMessageContaining("the admin listener of node node-3");
        assertThat(cp.objects().list(ListRequest.newBuilder().setKind("hs").build()).getObjectsList())
                .extracting(o -> o.getKey().getName()).containsExactly("inside");
        assertThat(cp.objects().list(ListRequest.newBuilder().setKind("hs").build()).getObjects(0).getJson())
                .contains("\"port\":10100");

        // What no node holds: node-3's admin port on another address, and a port of its own.
        assertThat(cp.objects().apply(documents(server("beside", "port: 9911\naddress: 127.0.0.9"))).getResults(0).getAction())
                .isEqualTo(Action.CREATED);
        assertThat(cp.objects().apply(documents(server("own", "port: 10101"))).getResults(0).getAction())
                .isEqualTo(Action.CREATED);
        first.close();
        second.close();
        plain.close();
    }

    @Test
    void manyNodesAlikeAreCounted() {
        TestNode a = TestNode.connect(cp.discovery(), NodeHello.newBuilder().setNodeId("edge-a").setAddress("10.0.0.1")
                .setVersion("test").setAdminListener("0.0.0.0:9800").build());
        TestNode b = TestNode.connect(cp.discovery(), NodeHello.newBuilder().setNodeId("edge-b").setAddress("10.0.0.2")
                .setVersion("test").setAdminListener("0.0.0.0:9800").build());
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.cluster().listMembers(ListMembersRequest.getDefaultInstance())
                .getMembersList().stream().filter(m -> m.getAdminListener().equals("0.0.0.0:9800")).count() == 2);

        assertThatThrownBy(() -> cp.objects().apply(documents(PIPELINE, server("edge", "port: 9800\naddress: 192.0.2.1"))))
                .hasMessageContaining("the admin listener of node edge-a (and 1 other) is on 0.0.0.0:9800");
        a.close();
        b.close();
    }
}
