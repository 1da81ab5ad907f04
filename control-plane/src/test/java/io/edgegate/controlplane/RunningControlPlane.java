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

/**
 * JUnit extension: one control-plane replica on a free port, with gRPC stubs to talk to it, over
 * a real etcd, or over the in-memory store for tests of the API's own logic.
 */
final class RunningControlPlane implements BeforeAllCallback, AfterAllCallback {

    private final boolean inMemory;
    private EtcdProcess etcd;
    private Replica replica;

    /** Over a real etcd. */
    RunningControlPlane() {
        this(false);
    }

    private RunningControlPlane(boolean inMemory) {
        this.inMemory = inMemory;
    }

    /** Over the in-memory store: no etcd binary needed. */
    static RunningControlPlane inMemory() {
        return new RunningControlPlane(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (inMemory) {
            replica = Replica.startInMemory();
        } else {
            etcd = EtcdProcess.start();
            replica = Replica.start(etcd.endpoint());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        replica.close();
        if (etcd != null) {
            etcd.close();
        }
    }

    EtcdProcess etcd() {
        if (etcd == null) {
            throw new IllegalStateException("this control plane runs on the in-memory store");
        }
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
