package io.edgegate.dataplane.filter.grpcproxy;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.DescribeResponse;
import io.edgegate.api.v1.GetRequest;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListMembersResponse;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.WaitEvent;
import io.edgegate.api.v1.WaitRequest;
import io.edgegate.api.v1.WaitStarted;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The GRPCProxy example with real grpc-java servers and client: pools by method, and gRPC statuses for the proxy's own failures. */
class GrpcProxyFilterTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private final List<Server> servers = new ArrayList<>();
    private ManagedChannel channel;
    private int port;

    @BeforeEach
    void start() {
        port = FreePorts.pick();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        for (Server s : servers) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private String grpcServer(String name) throws Exception {
        int grpcPort = FreePorts.pick();
        servers.add(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", grpcPort)).addService(new Cluster(name)).build().start());
        return "http://127.0.0.1:" + grpcPort;
    }

    private ClusterServiceGrpc.ClusterServiceBlockingStub stub() {
        return ClusterServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Test
    void callsGoToThePoolTheirMethodSelectsAndStreamsArriveWhole() throws Exception {
        node.apply(server("grpc", port, "grpc-pipeline"), example("filters/grpc-proxy.yaml", grpcServer("main"), grpcServer("waits")));

        ListMembersResponse members = stub().listMembers(ListMembersRequest.getDefaultInstance());
        assertThat(members.getMembersList()).extracting(Member::getNodeId).containsExactly("main");

        List<Long> revisions = new ArrayList<>();
        List<String> servedBy = new ArrayList<>();
        stub().waitForRevision(WaitRequest.newBuilder().setRevision(3).build()).forEachRemaining(e -> {
            revisions.add(e.getStarted().getRevision());
            servedBy.addAll(e.getStarted().getNodeIdsList());
        });
        assertThat(revisions).containsExactly(1L, 2L, 3L);
        assertThat(servedBy).containsOnly("waits");
    }

    @Test
    void aCallNoServerCanTakeGetsUnavailableAndASlowOneDeadlineExceeded() throws Exception {
        String dead = "http://127.0.0.1:" + FreePorts.pick();
        node.apply(server("grpc", port, "grpc-pipeline"), example("filters/grpc-proxy.yaml", dead, grpcServer("waits")));
        assertThatThrownBy(() -> stub().listMembers(ListMembersRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).isEqualTo("upstream unavailable");
                });

        node.apply(server("grpc", port, "grpc-pipeline"), example("filters/grpc-proxy.yaml", grpcServer("slow"), grpcServer("waits"))
                .replace("timeout: 2s", "timeout: 300ms"));
        assertThatThrownBy(() -> stub().describe(GetRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(stub().listMembers(ListMembersRequest.getDefaultInstance()).getMembersList()).extracting(Member::getNodeId)
                .containsExactly("slow");
    }

    @Test
    void aRequestThatIsNotGrpcIsRefused() throws Exception {
        node.apply(server("grpc", port, "grpc-pipeline"), example("filters/grpc-proxy.yaml", grpcServer("main"), grpcServer("waits")));
        var response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/edgegate.v1.ClusterService/ListMembers"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build());
        assertThat(response.statusCode()).isEqualTo(415);
    }

    /** Answers with its own name; describe answers only after two seconds. */
    private static final class Cluster extends ClusterServiceGrpc.ClusterServiceImplBase {
        private final String name;

        Cluster(String name) {
            this.name = name;
        }

        @Override
        public void listMembers(ListMembersRequest request, StreamObserver<ListMembersResponse> observer) {
            observer.onNext(ListMembersResponse.newBuilder().addMembers(Member.newBuilder().setNodeId(name)).build());
            observer.onCompleted();
        }

        @Override
        public void waitForRevision(WaitRequest request, StreamObserver<WaitEvent> observer) {
            for (long i = 1; i <= request.getRevision(); i++) {
                observer.onNext(WaitEvent.newBuilder().setStarted(WaitStarted.newBuilder().setRevision(i).addNodeIds(name)).build());
            }
            observer.onCompleted();
        }

        @Override
        public void describe(GetRequest request, StreamObserver<DescribeResponse> observer) {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            observer.onNext(DescribeResponse.getDefaultInstance());
            observer.onCompleted();
        }
    }
}
