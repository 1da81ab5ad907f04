package io.edgegate.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.EtcdProcess;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Seed 000's service-registry pool on a real cluster: every node follows ZooKeeper without an apply. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryIT {

    @RegisterExtension
    static final SharedCluster shared = new SharedCluster();

    private Path work;
    private Cluster cluster;
    private ExampleSetup examples;

    @BeforeAll
    void startCluster(@TempDir Path dir) {
        work = dir;
        examples = new ExampleSetup(work.resolve("objects"));
        cluster = shared.cluster();
    }

    @AfterAll
    void stopBackends() {
        examples.close();
    }

    private String servedBy(String node) throws IOException {
        var response = cluster.request(node, examples.port, "/pipeline");
        return response.statusCode() == 200 ? response.headers().firstValue(EchoBackend.NAME_HEADER).orElse("?") : "status " + response.statusCode();
    }

    @Test
    void anInstanceRegisteredInZookeeperServesOnEveryNodeWithoutAnApply() throws Exception {
        try (TestingServer zk = new TestingServer(true);
             CuratorFramework registrar = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            registrar.start();
            String objects = ProjectPaths.example("registry/zookeeper.yaml")
                    .replace("127.0.0.1:2181", zk.getConnectString())
                    .replace("http://127.0.0.1:9095", examples.backends.get(0).url());
            Path file = work.resolve("registry.yaml");
            Files.writeString(file, objects);
            EgctlRun applied = EgctlRun.launcher(cluster.egctl(), "apply", "--wait", "-f", file.toString(),
                    "-f", examples.serverFile.toString());
            assertThat(applied.exit()).as(applied.toString()).isZero();
            assertThat(applied.out()).contains("ZookeeperServiceRegistry/zookeeper-001 created");
            for (String node : cluster.nodeIds()) {
                assertThat(servedBy(node)).as(node).isEqualTo("backend-1"); // no instances yet: the static server
            }

            EchoBackend instance = examples.backends.get(1);
            String json = "{\"serviceName\": \"springboot-application-order\", \"instanceID\": \"order-1\", "
                    + "\"address\": \"127.0.0.1\", \"port\": " + instance.port() + "}";
            registrar.create().creatingParentsIfNeeded()
                    .forPath("/services/springboot-application-order/order-1", json.getBytes(UTF_8));
            for (String node : cluster.nodeIds()) {
                await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(node).equals("backend-2"));
            }

            // Each node reports its registry connection and the pool's source with its heartbeat.
            await().atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofMillis(500)).until(() -> {
                String registry = EgctlRun.inProcess(cluster.egctl(), "describe", "zksr", "zookeeper-001").out();
                String pipeline = EgctlRun.inProcess(cluster.egctl(), "describe", "hp", "pipeline-reverse-proxy").out();
                return cluster.nodeIds().stream().allMatch(registry::contains)
                        && registry.split("connected, 1 instances", -1).length == 4
                        && pipeline.split("registry zookeeper-001 service springboot-application-order: " + instance.url(), -1).length == 4;
            });

            registrar.delete().forPath("/services/springboot-application-order/order-1");
            for (String node : cluster.nodeIds()) {
                await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(node).equals("backend-1"));
            }
        }
    }

    @Test
    void anInstanceRegisteredInEtcdServesOnEveryNodeWithoutAnApply() throws Exception {
        try (EtcdProcess registryEtcd = EtcdProcess.start();
             Client registrar = Client.builder().endpoints(registryEtcd.endpoint()).build()) {
            String objects = ProjectPaths.example("registry/etcd.yaml")
                    .replace("http://127.0.0.1:2379", registryEtcd.endpoint())
                    .replace("http://127.0.0.1:9095", examples.backends.get(0).url())
                    .replace("name: orders-from-etcd", "name: pipeline-reverse-proxy");
            Path file = work.resolve("etcd-registry.yaml");
            Files.writeString(file, objects);
            EgctlRun applied = EgctlRun.launcher(cluster.egctl(), "apply", "--wait", "-f", file.toString(),
                    "-f", examples.serverFile.toString());
            assertThat(applied.exit()).as(applied.toString()).isZero();

            EchoBackend instance = examples.backends.get(2);
            ByteSequence key = ByteSequence.from("/services/order-service/order-9", UTF_8);
            registrar.getKVClient().put(key, ByteSequence.from("{\"serviceName\": \"order-service\", \"instanceID\": "
                    + "\"order-9\", \"address\": \"127.0.0.1\", \"port\": " + instance.port() + "}", UTF_8)).get();
            for (String node : cluster.nodeIds()) {
                await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(node).equals("backend-3"));
            }
            registrar.getKVClient().delete(key).get();
            for (String node : cluster.nodeIds()) {
                await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(node).equals("backend-1"));
            }
        }
    }
}
