package io.edgegate.controlplane;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.ConfigDiscoveryGrpc;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.testkit.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** One control-plane replica on a free port against a given etcd, with stubs to talk to it. */
final class Replica implements AutoCloseable {

    private final ControlPlane controlPlane;
    private final ManagedChannel channel;
    private final String address;

    private Replica(ControlPlane controlPlane, ManagedChannel channel, String address) {
        this.controlPlane = controlPlane;
        this.channel = channel;
        this.address = address;
    }

    static Replica start(String etcdEndpoint) throws Exception {
        return start(etcdEndpoint, ControlPlaneConfig.DEFAULT_HISTORY_COMPACTION);
    }

    /** Compacting etcd's history every {@code historyCompaction} (zero: never). */
    static Replica start(String etcdEndpoint, Duration historyCompaction) throws Exception {
        int port = FreePorts.pick();
        ControlPlane controlPlane = ControlPlane.start(new ControlPlaneConfig(new InetSocketAddress("127.0.0.1", port),
                List.of(etcdEndpoint), Path.of("unused"), "etcd", Duration.ofSeconds(2),
                io.edgegate.controlplane.security.ControlPlaneSecurity.disabled(), io.edgegate.controlplane.etcd.EtcdAccess.none(),
                Optional.empty(), historyCompaction));
        controlPlane.cache().ready().get(10, TimeUnit.SECONDS);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        return new Replica(controlPlane, channel, "127.0.0.1:" + port);
    }

    /** A replica whose store is in memory: the API and config stream without etcd. */
    static Replica startInMemory() throws Exception {
        int port = FreePorts.pick();
        ControlPlane controlPlane = ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", port));
        controlPlane.cache().ready().get(10, TimeUnit.SECONDS);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        return new Replica(controlPlane, channel, "127.0.0.1:" + port);
    }

    /** Stubs for a control plane the test started itself (closing this closes the control plane too). */
    static Replica attach(ControlPlane controlPlane, ControlPlaneConfig config) {
        int port = controlPlane.port();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        return new Replica(controlPlane, channel, "127.0.0.1:" + port);
    }

    String address() {
        return address;
    }

    ControlPlane controlPlane() {
        return controlPlane;
    }

    ObjectServiceGrpc.ObjectServiceBlockingStub objects() {
        return ObjectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    ClusterServiceGrpc.ClusterServiceBlockingStub cluster() {
        return ClusterServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    ClusterServiceGrpc.ClusterServiceStub clusterAsync() {
        return ClusterServiceGrpc.newStub(channel);
    }

    ConfigDiscoveryGrpc.ConfigDiscoveryStub discovery() {
        return ConfigDiscoveryGrpc.newStub(channel);
    }

    List<Member> members() {
        return cluster().listMembers(ListMembersRequest.getDefaultInstance()).getMembersList();
    }

    Optional<Member> member(String nodeId) {
        return members().stream().filter(m -> m.getNodeId().equals(nodeId)).findFirst();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        controlPlane.close();
    }
}
