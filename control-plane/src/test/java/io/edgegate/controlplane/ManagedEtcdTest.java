package io.edgegate.controlplane;

import static io.edgegate.controlplane.RunningControlPlane.documents;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.api.v1.GetRequest;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.testkit.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without --etcd-endpoints the control plane runs its own etcd under --data-dir, and stops it. */
class ManagedEtcdTest {


    @Test
    void startsALocalEtcdKeepsItsDataAndStopsIt(@TempDir Path dataDir) throws Exception {
        int port = FreePorts.pick();
        ControlPlaneConfig config = new ControlPlaneConfig(new InetSocketAddress("127.0.0.1", port), List.of(),
                dataDir, "etcd", Duration.ofSeconds(5),
                io.edgegate.controlplane.security.ControlPlaneSecurity.disabled(), io.edgegate.controlplane.etcd.EtcdAccess.none());

        try (ControlPlane first = ControlPlane.start(config)) {
            first.cache().ready().get(20, TimeUnit.SECONDS);
            withStub(port, stub -> stub.apply(documents(TestObjects.pipeline("kept"))));
        }
        int etcdPort = Integer.parseInt(Files.readString(dataDir.resolve("etcd/ports")).trim().split(",")[0]);
        assertThat(accepts(etcdPort)).as("etcd stopped with the control plane").isFalse();

        try (ControlPlane second = ControlPlane.start(config)) {
            second.cache().ready().get(20, TimeUnit.SECONDS);
            var stored = withStub(port, stub -> stub.get(GetRequest.newBuilder()
                    .setKey(ObjectKey.newBuilder().setKind("Pipeline").setName("kept")).build()));
            assertThat(stored.getObject().getJson()).contains("\"name\":\"kept\"");
        }
    }

    private static <T> T withStub(int port, java.util.function.Function<ObjectServiceGrpc.ObjectServiceBlockingStub, T> call)
            throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            return call.apply(ObjectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
