package io.edgegate.dataplane.registry;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.EtcdProcess;
import io.edgegate.testkit.FreePorts;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pools that follow a service registry: instances come and go without an apply; static servers are the fallback. */
class ServiceRegistryTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static String instance(String service, String id, EchoBackend backend) {
        return """
                {"serviceName": "%s", "instanceID": "%s", "address": "127.0.0.1", "port": %d, "scheme": "http",
                 "tags": ["v1"], "weight": 1}""".formatted(service, id, backend.port());
    }

    private static Set<String> servedBy(int port, int requests) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            var response = node.get(port, "/orders");
            if (response.statusCode() == 200) {
                names.add(response.headers().firstValue(EchoBackend.NAME_HEADER).orElseThrow());
            }
        }
        return names;
    }

    @Test
    void zookeeperInstancesReceiveTrafficWithoutAnApplyAndOutliveAZooKeeperOutage() throws Exception {
        int port = FreePorts.pick();
        try (TestingServer zk = new TestingServer(true);
             EchoBackend fallback = EchoBackend.start("static");
             EchoBackend a = EchoBackend.start("a");
             EchoBackend b = EchoBackend.start("b");
             CuratorFramework registrar = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            registrar.start();
            String objects = example("registry/zookeeper.yaml", fallback.url())
                    .replace("127.0.0.1:2181", zk.getConnectString()).replace("syncInterval: 10s", "syncInterval: 1s");
            node.apply(server("s", port, "pipeline-reverse-proxy"), objects);
            assertThat(servedBy(port, 4)).containsExactly("static");

            String service = "/services/springboot-application-order";
            registrar.create().creatingParentsIfNeeded().forPath(service + "/a", instance("springboot-application-order", "a", a).getBytes(UTF_8));
            await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(port, 2).equals(Set.of("a")));
            registrar.create().forPath(service + "/b", instance("springboot-application-order", "b", b).getBytes(UTF_8));
            await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(port, 4).equals(Set.of("a", "b")));
            // Another service's instance is not this pool's.
            registrar.create().creatingParentsIfNeeded().forPath("/services/other/x", instance("other", "x", fallback).getBytes(UTF_8));

            registrar.delete().forPath(service + "/a");
            await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(port, 4).equals(Set.of("b")));

            zk.stop();
            // As Easegress: without ZooKeeper, well past syncInterval (1s), the pool keeps the instances it last listed.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> servedBy(port, 2).equals(Set.of("b")));
        }
    }

    /** As Easegress: instances that carry none of the pool's serverTags leave the static servers serving, not nobody. */
    @Test
    void withNoInstanceCarryingThePoolsTagsTheStaticServersServe() throws Exception {
        int port = FreePorts.pick();
        try (TestingServer zk = new TestingServer(true);
             EchoBackend fallback = EchoBackend.start("static");
             EchoBackend a = EchoBackend.start("a");
             EchoBackend b = EchoBackend.start("b");
             CuratorFramework registrar = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            registrar.start();
            String objects = example("registry/zookeeper.yaml", fallback.url())
                    .replace("127.0.0.1:2181", zk.getConnectString()).replace("syncInterval: 10s", "syncInterval: 1s")
                    .replace("      serviceName: springboot-application-order",
                            "      serviceName: springboot-application-order\n      serverTags: [v2]");
            node.apply(server("s", port, "pipeline-reverse-proxy"), objects);
            String service = "/services/springboot-application-order";
            registrar.create().creatingParentsIfNeeded().forPath(service + "/b",
                    instance("springboot-application-order", "b", b).replace("\"v1\"", "\"v2\"").getBytes(UTF_8));
            await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(port, 2).equals(Set.of("b")));

            // The v2 instance goes, a v1 one comes (instance() tags it v1): none is for this pool.
            registrar.create().forPath(service + "/a", instance("springboot-application-order", "a", a).getBytes(UTF_8));
            registrar.delete().forPath(service + "/b");
            await().atMost(Duration.ofSeconds(5)).until(() -> !servedBy(port, 2).contains("b"));

            assertThat(servedBy(port, 4)).containsExactly("static");
            assertThat(a.requestCount()).isZero();
        }
    }

    @Test
    void etcdInstancesFollowTheWatchAndOutliveAnEtcdOutage() throws Exception {
        int port = FreePorts.pick();
        try (EtcdProcess etcd = EtcdProcess.start();
             EchoBackend fallback = EchoBackend.start("static");
             EchoBackend a = EchoBackend.start("a");
             Client registrar = Client.builder().endpoints(etcd.endpoint()).build()) {
            String objects = example("registry/etcd.yaml", fallback.url())
                    .replace("http://127.0.0.1:2379", etcd.endpoint()).replace("cacheTimeout: 10s", "cacheTimeout: 1s");
            node.apply(server("s", port, "orders-from-etcd"), objects);
            assertThat(servedBy(port, 2)).containsExactly("static");

            ByteSequence key = ByteSequence.from("/services/order-service/a", UTF_8);
            registrar.getKVClient().put(key, ByteSequence.from(instance("order-service", "a", a), UTF_8)).get();
            await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(port, 2).equals(Set.of("a")));

            registrar.getKVClient().delete(key).get();
            await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(port, 2).equals(Set.of("static")));

            registrar.getKVClient().put(key, ByteSequence.from(instance("order-service", "a", a), UTF_8)).get();
            await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(port, 2).equals(Set.of("a")));
            etcd.stop();
            // As Easegress: without etcd, well past cacheTimeout (1s), the pool keeps the instances it last listed.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> servedBy(port, 2).equals(Set.of("a")));
        }
    }

    /** A deployment's addresses come and go; the upstream series of ones the registry dropped go too. */
    @Test
    void theSeriesOfInstancesTheRegistryDroppedGoWhenNewOnesAreMeasured() throws Exception {
        int port = FreePorts.pick();
        try (EtcdProcess etcd = EtcdProcess.start();
             EchoBackend fallback = EchoBackend.start("static");
             EchoBackend a = EchoBackend.start("a");
             EchoBackend b = EchoBackend.start("b");
             Client registrar = Client.builder().endpoints(etcd.endpoint()).build()) {
            String objects = example("registry/etcd.yaml", fallback.url())
                    .replace("http://127.0.0.1:2379", etcd.endpoint()).replace("cacheTimeout: 10s", "cacheTimeout: 1s");
            node.apply(server("s", port, "orders-from-etcd"), objects);
            ByteSequence keyA = ByteSequence.from("/services/order-service/a", UTF_8);
            registrar.getKVClient().put(keyA, ByteSequence.from(instance("order-service", "a", a), UTF_8)).get();
            await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(port, 2).equals(Set.of("a")));
            assertThat(node.scrape()).contains("upstream=\"" + a.url() + "\"");

            // A new deployment: b replaces a.
            registrar.getKVClient().put(ByteSequence.from("/services/order-service/b", UTF_8),
                    ByteSequence.from(instance("order-service", "b", b), UTF_8)).get();
            registrar.getKVClient().delete(keyA).get();
            await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(port, 2).equals(Set.of("b")));

            String metrics = node.scrape();
            assertThat(metrics).contains("edgegate_upstream_requests_total{").contains("upstream=\"" + b.url() + "\"")
                    .doesNotContain("upstream=\"" + a.url() + "\"").doesNotContain("upstream=\"" + fallback.url() + "\"");
        }
    }

    @Test
    void healthChecksFollowTheRegistrysInstances() throws Exception {
        int port = FreePorts.pick();
        try (TestingServer zk = new TestingServer(true);
             EchoBackend fallback = EchoBackend.start("static");
             EchoBackend a = EchoBackend.start("a");
             EchoBackend b = EchoBackend.start("b");
             CuratorFramework registrar = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            registrar.start();
            String objects = example("registry/zookeeper.yaml", fallback.url())
                    .replace("127.0.0.1:2181", zk.getConnectString())
                    .replace("      loadBalance:", "      healthCheck: {interval: 200ms, timeout: 1s, fails: 1, passes: 1, uri: /healthz}\n"
                            + "      loadBalance:");
            node.apply(server("s", port, "pipeline-reverse-proxy"), objects);
            String service = "/services/springboot-application-order";
            registrar.create().creatingParentsIfNeeded().forPath(service + "/a", instance("springboot-application-order", "a", a).getBytes(UTF_8));
            registrar.create().forPath(service + "/b", instance("springboot-application-order", "b", b).getBytes(UTF_8));
            await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(port, 4).equals(Set.of("a", "b")));

            b.answerWith(io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE);
            // Out of the rotation: every request is answered, and by a (servedBy counts 200s only, so check the statuses too).
            await().atMost(Duration.ofSeconds(3)).until(() -> {
                for (int i = 0; i < 6; i++) {
                    var response = node.get(port, "/orders");
                    if (response.statusCode() != 200 || !response.headers().firstValue(EchoBackend.NAME_HEADER).orElse("").equals("a")) {
                        return false;
                    }
                }
                return true;
            });
            b.answerWith(null);
            await().atMost(Duration.ofSeconds(3)).until(() -> servedBy(port, 6).equals(Set.of("a", "b")));
            assertThat(b.received()).extracting(EchoBackend.ReceivedRequest::uri).contains("/healthz");
        }
    }

    /** A registry change rebuilds the pool's health checks: a server they had taken out stays out until it passes. */
    @Test
    void aServerOutOfTheRotationStaysOutWhenTheInstanceListChanges() throws Exception {
        int port = FreePorts.pick();
        try (TestingServer zk = new TestingServer(true);
             EchoBackend fallback = EchoBackend.start("static");
             EchoBackend a = EchoBackend.start("a");
             EchoBackend b = EchoBackend.start("b");
             EchoBackend c = EchoBackend.start("c");
             CuratorFramework registrar = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            registrar.start();
            // Three failed probes a second apart take a server out: a new checker that forgot would let it back for seconds.
            String objects = example("registry/zookeeper.yaml", fallback.url())
                    .replace("127.0.0.1:2181", zk.getConnectString())
                    .replace("      loadBalance:", "      healthCheck: {interval: 1s, timeout: 1s, fails: 3, passes: 1, uri: /healthz}\n"
                            + "      loadBalance:");
            node.apply(server("s", port, "pipeline-reverse-proxy"), objects);
            String service = "/services/springboot-application-order";
            registrar.create().creatingParentsIfNeeded().forPath(service + "/a", instance("springboot-application-order", "a", a).getBytes(UTF_8));
            registrar.create().forPath(service + "/b", instance("springboot-application-order", "b", b).getBytes(UTF_8));
            await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(port, 4).equals(Set.of("a", "b")));
            b.answerWith(io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                for (int i = 0; i < 4; i++) {
                    if (node.get(port, "/orders").statusCode() != 200) {
                        return false;
                    }
                }
                return true;
            });

            registrar.create().forPath(service + "/c", instance("springboot-application-order", "c", c).getBytes(UTF_8));
            // The pool takes the new list on its next request.
            await().atMost(Duration.ofSeconds(5)).until(() -> node.get(port, "/orders").headers()
                    .firstValue(EchoBackend.NAME_HEADER).orElse("").equals("c"));

            for (int i = 0; i < 12; i++) {
                assertThat(node.get(port, "/orders").statusCode()).as("b stays out after the change").isEqualTo(200);
            }
        }
    }
}
