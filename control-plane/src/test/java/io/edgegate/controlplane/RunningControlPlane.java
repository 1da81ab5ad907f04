package io.edgegate.controlplane;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.ConfigDiscoveryGrpc;
import io.edgegate.api.v1.Document;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.api.v1.WriteRequest;
import io.edgegate.testkit.EtcdProcess;
import io.edgegate.testkit.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** JUnit extension: a real etcd and a control plane on free ports, with gRPC stubs to talk to it. */
final class RunningControlPlane implements BeforeAllCallback, AfterAllCallback {

    private EtcdProcess etcd;
    private ControlPlane controlPlane;
    private ManagedChannel channel;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        etcd = EtcdProcess.start();
        int port = FreePorts.pick();
        controlPlane = ControlPlane.start(new ControlPlaneConfig(new InetSocketAddress("127.0.0.1", port),
                List.of(etcd.endpoint()), Path.of("unused"), "etcd", Duration.ofSeconds(2)));
        controlPlane.cache().ready().get(10, TimeUnit.SECONDS);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        controlPlane.close();
        etcd.close();
    }

    EtcdProcess etcd() {
        return etcd;
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

    ConfigDiscoveryGrpc.ConfigDiscoveryStub discovery() {
        return ConfigDiscoveryGrpc.newStub(channel);
    }

    static WriteRequest documents(String... texts) {
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (int i = 0; i < texts.length; i++) {
            request.addDocuments(Document.newBuilder().setSource("test.yaml").setIndex(i + 1).setFirstLine(1).setText(texts[i]));
        }
        return request.build();
    }
}
