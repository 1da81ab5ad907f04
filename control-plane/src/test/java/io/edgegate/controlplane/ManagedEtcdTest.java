package io.edgegate.controlplane;

import static io.edgegate.controlplane.RunningControlPlane.documents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
        ControlPlaneConfig config = plaintext(port, List.of(), dataDir);

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

    /**
     * Ctrl-C in a terminal and systemd's stop signal the whole process group: etcd exits just as the control plane
     * closes. A restart already under way started etcd again after the close, and it outlived the control plane.
     */
    @Test
    void anEtcdThatExitsAsTheControlPlaneStopsIsNotStartedAgain(@TempDir Path dataDir) throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(io.edgegate.controlplane.etcd.ManagedEtcd.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events = new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        logger.addAppender(events);
        try {
            io.edgegate.controlplane.etcd.ManagedEtcd etcd = io.edgegate.controlplane.etcd.ManagedEtcd.start("etcd", dataDir);
            ProcessHandle first = etcdProcesses(dataDir).get(0);
            first.destroy();
            // The supervisor has seen it exit and waits before its restart: the control plane closes now.
            await().atMost(Duration.ofSeconds(10)).until(() -> List.copyOf(events.list).stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("restarting")));
            etcd.close();

            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> etcdProcesses(dataDir).isEmpty());
        } finally {
            logger.detachAppender(events);
            etcdProcesses(dataDir).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static List<ProcessHandle> etcdProcesses(Path dataDir) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().filter(c -> c.contains("--data-dir " + dataDir)).isPresent())
                .toList();
    }

    @Test
    void aLargeEtcdLogOfAnEarlierRunIsMovedAsideAtStart(@TempDir Path dataDir) throws Exception {
        Path etcdLog = dataDir.resolve("etcd/etcd.log");
        Files.createDirectories(etcdLog.getParent());
        String earlier = "{\"level\":\"warn\",\"msg\":\"apply request took too long\"}\n";
        Files.writeString(etcdLog, earlier.repeat(17 * 1024 * 1024 / earlier.length() + 1));
        long earlierSize = Files.size(etcdLog);
        int port = FreePorts.pick();

        try (ControlPlane controlPlane = ControlPlane.start(plaintext(port, List.of(), dataDir))) {
            controlPlane.cache().ready().get(20, TimeUnit.SECONDS);
            withStub(port, stub -> stub.apply(documents(TestObjects.pipeline("after-rotation"))));

            assertThat(Files.size(dataDir.resolve("etcd/etcd.log.1"))).isEqualTo(earlierSize);
            assertThat(Files.size(etcdLog)).as("what this run's etcd wrote").isLessThan(1024 * 1024);
        }
    }

    @Test
    void anObjectOverEtcdsDefaultRequestLimitIsStoredByTheManagedEtcdAndRefusedByNameElsewhere(@TempDir Path dataDir) throws Exception {
        // A 2.7 MB CustomData record of random text (under the 3 MB a YAML document may hold): ~2.1 MB gzip'd,
        // over etcd's default 1.5 MiB per request, under the managed etcd's 10 MiB.
        byte[] noise = new byte[2_700_000 * 3 / 4];
        new java.util.Random(7).nextBytes(noise);
        String big = "name: big\nkind: CustomData\nrecords:\n- name: blob\n  value: "
                + java.util.Base64.getEncoder().encodeToString(noise) + "\n";
        int port = FreePorts.pick();
        ControlPlaneConfig managed = plaintext(port, List.of(), dataDir);
        try (ControlPlane controlPlane = ControlPlane.start(managed)) {
            controlPlane.cache().ready().get(20, TimeUnit.SECONDS);
            withStub(port, stub -> stub.apply(documents(big)));
            var stored = withStub(port, stub -> stub.get(GetRequest.newBuilder()
                    .setKey(ObjectKey.newBuilder().setKind("CustomData").setName("big")).build()));
            assertThat(stored.getObject().getJson().length()).isGreaterThan(2_700_000);
        }

        try (io.edgegate.testkit.EtcdProcess etcd = io.edgegate.testkit.EtcdProcess.start()) {
            int other = FreePorts.pick();
            ControlPlaneConfig external = plaintext(other, List.of(etcd.endpoint()), dataDir.resolve("external"));
            try (ControlPlane controlPlane = ControlPlane.start(external)) {
                controlPlane.cache().ready().get(20, TimeUnit.SECONDS);
                assertRefusedByEtcd(other, documents(big), "refused the change as too large", "--max-request-bytes");
                // Smaller objects still go in.
                withStub(other, stub -> stub.apply(documents(TestObjects.pipeline("small"))));
            }
        }
    }

    @Test
    void aServerOf2MbOfRoutesFitsAnEtcdWithItsDefaultRequestLimit(@TempDir Path dataDir) throws Exception {
        StringBuilder paths = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            paths.append("  - path: /route-").append(i).append("\n    backend: p").append(i % 100).append('\n');
        }
        String server = "name: routes\nkind: HTTPServer\nport: 10080\nrules:\n- paths:\n" + paths;
        try (io.edgegate.testkit.EtcdProcess etcd = io.edgegate.testkit.EtcdProcess.start()) {
            int port = FreePorts.pick();
            ControlPlaneConfig external = plaintext(port, List.of(etcd.endpoint()), dataDir);
            String json;
            try (ControlPlane controlPlane = ControlPlane.start(external)) {
                controlPlane.cache().ready().get(20, TimeUnit.SECONDS);
                withStub(port, stub -> stub.apply(documents(server)));
                json = withStub(port, stub -> stub.get(GetRequest.newBuilder()
                        .setKey(ObjectKey.newBuilder().setKind("HTTPServer").setName("routes")).build())).getObject().getJson();
            }
            assertThat(json.length()).as("over etcd's default 1.5 MiB a request").isGreaterThan(1_572_864);
            assertThat(json).contains("\"/route-39999\"");

            // etcd holds it gzip'd; a control plane started afresh reads it back whole.
            try (io.etcd.jetcd.Client direct = io.etcd.jetcd.Client.builder().endpoints(etcd.endpoint()).build()) {
                byte[] raw = direct.getKVClient().get(io.etcd.jetcd.ByteSequence.from("/edgegate/objects/HTTPServer/routes",
                        java.nio.charset.StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS).getKvs().get(0).getValue().getBytes();
                assertThat(raw[0]).isEqualTo((byte) 0x1f);
                assertThat(raw.length).isLessThan(json.length() / 5);
            }
            int again = FreePorts.pick();
            try (ControlPlane controlPlane = ControlPlane.start(plaintext(again, List.of(etcd.endpoint()), dataDir.resolve("again")))) {
                controlPlane.cache().ready().get(20, TimeUnit.SECONDS);
                assertThat(withStub(again, stub -> stub.get(GetRequest.newBuilder()
                        .setKey(ObjectKey.newBuilder().setKind("HTTPServer").setName("routes")).build())).getObject().getJson())
                        .isEqualTo(json);
            }
        }
    }

    @Test
    void anApplyOfMoreObjectsThanEtcdsDefaultTransactionTakesIsStoredByTheManagedEtcdAndRefusedByNameElsewhere(@TempDir Path dataDir)
            throws Exception {
        // 150 pipelines in one apply: over etcd's default of 128 operations in a transaction.
        String[] many = java.util.stream.IntStream.range(0, 150).mapToObj(i -> TestObjects.pipeline("p" + i)).toArray(String[]::new);
        int port = FreePorts.pick();
        ControlPlaneConfig managed = plaintext(port, List.of(), dataDir);
        try (ControlPlane controlPlane = ControlPlane.start(managed)) {
            controlPlane.cache().ready().get(20, TimeUnit.SECONDS);
            var applied = withStub(port, stub -> stub.apply(documents(many)));
            assertThat(applied.getResultsCount()).isEqualTo(150);
        }

        try (io.edgegate.testkit.EtcdProcess etcd = io.edgegate.testkit.EtcdProcess.start()) {
            int other = FreePorts.pick();
            ControlPlaneConfig external = plaintext(other, List.of(etcd.endpoint()), dataDir.resolve("external"));
            try (ControlPlane controlPlane = ControlPlane.start(external)) {
                controlPlane.cache().ready().get(20, TimeUnit.SECONDS);
                assertRefusedByEtcd(other, documents(many), "too many operations for one transaction", "--max-txn-ops");
                assertThat(withStub(other, stub -> stub.list(io.edgegate.api.v1.ListRequest.newBuilder().build())).getObjectsCount())
                        .as("nothing of the refused apply was stored").isZero();
            }
        }
    }

    private static ControlPlaneConfig plaintext(int port, List<String> etcdEndpoints, Path dataDir) {
        return new ControlPlaneConfig(new InetSocketAddress("127.0.0.1", port), etcdEndpoints, dataDir, "etcd", Duration.ofSeconds(5),
                io.edgegate.controlplane.security.ControlPlaneSecurity.disabled(), io.edgegate.controlplane.etcd.EtcdAccess.none());
    }

    /** The apply is refused as etcd's own limit, named with the flag that raises it, and not as etcd being unreachable. */
    private static void assertRefusedByEtcd(int port, io.edgegate.api.v1.WriteRequest request, String reason, String flag) {
        assertThatThrownBy(() -> withStub(port, stub -> stub.apply(request)))
                .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).contains(reason).contains(flag).doesNotContain("unreachable")
                            .endsWith("nothing was changed");
                });
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
