package io.edgegate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.ConfigDiscoveryGrpc;
import io.edgegate.api.v1.ForgetMemberRequest;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.controlplane.security.ControlPlaneSecurity;
import io.edgegate.testkit.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The control plane's admin listener: /healthz, and /metrics that follow the cluster's nodes and the API's calls. */
class AdminListenerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void metricsFollowTheStoreTheNodesAndTheApi() throws Exception {
        int port = FreePorts.pick();
        int adminPort = FreePorts.pick();
        try (ControlPlane controlPlane = ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", port),
                ControlPlaneSecurity.disabled(), Optional.of(new InetSocketAddress("127.0.0.1", adminPort)))) {
            controlPlane.cache().ready().get(10, TimeUnit.SECONDS);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                assertThat(get(adminPort, "/healthz").statusCode()).isEqualTo(200);
                long revision = ObjectServiceGrpc.newBlockingStub(channel)
                        .apply(RunningControlPlane.documents(TestObjects.pipeline("metered"))).getRevision();
                TestNode node = TestNode.connect(ConfigDiscoveryGrpc.newStub(channel), "node-m");
                // The cache follows the store by a watch: the first snapshot may precede the write by a moment.
                long received = node.next().getRevision();
                while (received < revision) {
                    received = node.next().getRevision();
                }
                node.ack(received, "");

                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    String metrics = get(adminPort, "/metrics").body();
                    assertThat(metrics).containsPattern("edgegate_store_revision\\{[^}]*} " + revision + "\\.0")
                            .containsPattern("edgegate_cluster_node_applied_revision\\{[^}]*node_id=\"node-m\"[^}]*} " + revision + "\\.0")
                            .containsPattern("edgegate_cluster_nodes\\{[^}]*state=\"ready\"[^}]*} 1\\.0")
                            .containsPattern("edgegate_api_calls_total\\{[^}]*code=\"OK\"[^}]*method=\"edgegate.v1.ObjectService/Apply\"[^}]*} 1\\.0")
                            .containsPattern("edgegate_control_plane_insecure\\{[^}]*} 1\\.0")
                            .containsPattern("edgegate_discovery_streams\\{[^}]*} 1\\.0")
                            .containsPattern("edgegate_store_reachable\\{[^}]*} 1\\.0")
                            .containsPattern("edgegate_config_propagation_seconds_count\\{[^}]*} 1\\b")
                            .contains("jvm_memory_used_bytes");
                });

                node.close();
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(get(adminPort, "/metrics").body())
                        .containsPattern("edgegate_cluster_nodes\\{[^}]*state=\"disconnected\"[^}]*} 1\\.0")
                        .containsPattern("edgegate_discovery_streams\\{[^}]*} 0\\.0"));
                ClusterServiceGrpc.newBlockingStub(channel).forgetMember(ForgetMemberRequest.newBuilder().setNodeId("node-m").build());
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(get(adminPort, "/metrics").body())
                        .as("a forgotten node's series are gone").doesNotContain("node-m"));
                assertThat(get(adminPort, "/nothing").statusCode()).isEqualTo(404);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void healthzSaysWhetherEtcdAnswersAndStaysReadyWithoutIt() throws Exception {
        // Ready: nodes and egctl still get the cached view (marked stale); a Service without a ready replica would
        // give them nothing. The body tells a replica cut off from etcd from the others.
        int adminPort = FreePorts.pick();
        try (io.edgegate.testkit.EtcdProcess etcd = io.edgegate.testkit.EtcdProcess.start();
             ControlPlane controlPlane = ControlPlane.start(new ControlPlaneConfig(new InetSocketAddress("127.0.0.1", FreePorts.pick()),
                     java.util.List.of(etcd.endpoint()), java.nio.file.Path.of("unused"), "etcd", Duration.ofSeconds(2),
                     ControlPlaneSecurity.disabled(), io.edgegate.controlplane.etcd.EtcdAccess.none(),
                     Optional.of(new InetSocketAddress("127.0.0.1", adminPort))))) {
            controlPlane.cache().ready().get(10, TimeUnit.SECONDS);
            assertThat(get(adminPort, "/healthz").body()).isEqualTo("{\"ready\":true,\"storeReachable\":true}\n");
            etcd.stop();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> get(adminPort, "/healthz").body().contains("\"storeReachable\":false"));
                assertThat(get(adminPort, "/healthz").statusCode()).isEqualTo(200);
            } finally {
                etcd.restart();
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> get(adminPort, "/healthz").body().contains("\"storeReachable\":true"));
        }
    }

    /**
     * The listener reads a request on one of its workers: connections that never finish their head held every worker,
     * and /healthz (a liveness probe) went unanswered for as long as they stayed. Such a request is cut off after
     * {@code sun.net.httpserver.maxReqTime} (set by the launcher's main, 2 s in this module's tests).
     */
    @Test
    void connectionsThatNeverFinishTheirRequestAreCutOffAndHealthzAnswers() throws Exception {
        int adminPort = FreePorts.pick();
        try (ControlPlane controlPlane = ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", FreePorts.pick()),
                ControlPlaneSecurity.disabled(), Optional.of(new InetSocketAddress("127.0.0.1", adminPort)))) {
            controlPlane.cache().ready().get(10, TimeUnit.SECONDS);
            java.util.List<java.net.Socket> slow = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < io.edgegate.controlplane.admin.AdminListener.WORKERS + 12; i++) {
                    java.net.Socket socket = new java.net.Socket("127.0.0.1", adminPort);
                    socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Slow: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    slow.add(socket);
                }

                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(adminPort, "/healthz").statusCode() == 200);
                for (java.net.Socket socket : slow) {
                    socket.setSoTimeout(20_000);
                    assertThat(socket.getInputStream().read()).as("the listener closed the unfinished request").isEqualTo(-1);
                }
            } finally {
                for (java.net.Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
