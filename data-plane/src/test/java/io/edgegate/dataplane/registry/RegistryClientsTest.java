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

    /** A client that only records whether it was closed. */
    private static final class Client implements ServiceRegistry {

        boolean closed;

        @Override
        public List<ServiceInstance> instancesOf(String service) {
            return null;
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
}
