package io.edgegate.dataplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.registry.EtcdServiceRegistrySpec;
import io.edgegate.spec.registry.ZookeeperServiceRegistrySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which registry clients a config keeps, starts and retires: every client started is either running or closed. */
class RegistryClientsTest {

    /** A client that records whether it was closed, and lists what the test gives it once it says so. */
    private static final class Client implements ServiceRegistry {

        boolean closed;
        volatile List<ServiceInstance> instances;

        @Override
        public List<ServiceInstance> instancesOf(String service) {
            return instances;
        }

        @Override
        public boolean loaded() {
            return instances != null;
        }

        @Override
        public String describe() {
            return "test";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final List<Client> started = new ArrayList<>();
    private final RegistryClients clients = new RegistryClients(spec -> {
        Client client = new Client();
        started.add(client);
        return client;
    });

    @Test
    void twoKindsOfOneNameStartOneClientOnceNotOneEveryApply() {
        ObjectSpec etcd = new EtcdServiceRegistrySpec("services", List.of("http://127.0.0.1:2379"), "/services/", Duration.ofSeconds(10));
        ObjectSpec zookeeper = new ZookeeperServiceRegistrySpec("services", List.of("127.0.0.1:2181"), "/services",
                Duration.ofSeconds(6), Duration.ofSeconds(10));
        Map<String, RunningRegistry> running = Map.of();
        for (int apply = 0; apply < 5; apply++) {
            RegistryClients.Prepared prepared = clients.prepare(List.of(etcd, zookeeper), running);
            prepared.retired().forEach(ServiceRegistry::close);
            running = prepared.running();
        }
        assertThat(started).as("the first of the name, started once and kept").hasSize(1);
        assertThat(running.get("services").spec()).isEqualTo(etcd);
        assertThat(started.get(0).closed).isFalse();
    }

    /** As Easegress keeps a pool's servers until the new registry's first list: an edit of the registry empties no pool. */
    @Test
    void aChangedRegistrysPoolsKeepTheOldInstancesUntilTheNewClientHasListed() {
        ObjectSpec before = new EtcdServiceRegistrySpec("services", List.of("http://127.0.0.1:2379"), "/services/", Duration.ofSeconds(10));
        ObjectSpec after = new EtcdServiceRegistrySpec("services", List.of("http://127.0.0.1:2379"), "/services/", Duration.ofSeconds(5));
        ServiceInstance a = new ServiceInstance("orders", "a", "http", "10.0.0.1", 80, List.of(), 1);
        ServiceInstance b = new ServiceInstance("orders", "b", "http", "10.0.0.2", 80, List.of(), 1);
        Map<String, RunningRegistry> running = clients.prepare(List.of(before), Map.of()).running();
        started.get(0).instances = List.of(a);

        RegistryClients.Prepared edited = clients.prepare(List.of(after), running);
        edited.retired().forEach(ServiceRegistry::close);
        ServiceRegistry serving = edited.running().get("services").registry();
        assertThat(started.get(0).closed).isTrue();
        assertThat(serving.instancesOf("orders")).as("the new client has listed nothing yet").containsExactly(a);

        started.get(1).instances = List.of(b);
        assertThat(serving.instancesOf("orders")).containsExactly(b);
    }
}
