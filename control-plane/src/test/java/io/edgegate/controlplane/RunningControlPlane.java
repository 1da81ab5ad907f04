package io.edgegate.controlplane;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.ConfigDiscoveryGrpc;
import io.edgegate.api.v1.Document;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.api.v1.WriteRequest;
import io.edgegate.testkit.EtcdProcess;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** JUnit extension: a real etcd and one control-plane replica on free ports, with gRPC stubs to talk to it. */
final class RunningControlPlane implements BeforeAllCallback, AfterAllCallback {

    private EtcdProcess etcd;
    private Replica replica;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        etcd = EtcdProcess.start();
        replica = Replica.start(etcd.endpoint());
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        replica.close();
        etcd.close();
    }

    EtcdProcess etcd() {
        return etcd;
    }

    Replica replica() {
        return replica;
    }

    ControlPlane controlPlane() {
        return replica.controlPlane();
    }

    ObjectServiceGrpc.ObjectServiceBlockingStub objects() {
        return replica.objects();
    }

    ClusterServiceGrpc.ClusterServiceBlockingStub cluster() {
        return replica.cluster();
    }

    ConfigDiscoveryGrpc.ConfigDiscoveryStub discovery() {
        return replica.discovery();
    }

    static WriteRequest documents(String... texts) {
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (int i = 0; i < texts.length; i++) {
            request.addDocuments(Document.newBuilder().setSource("test.yaml").setIndex(i + 1).setFirstLine(1).setText(texts[i]));
        }
        return request.build();
    }
}
