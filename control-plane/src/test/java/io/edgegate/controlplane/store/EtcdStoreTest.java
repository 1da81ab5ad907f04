package io.edgegate.controlplane.store;

import io.edgegate.testkit.EtcdProcess;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The store contract against a real etcd, fresh for each test. */
class EtcdStoreTest extends StoreContract {

    private EtcdProcess etcd;
    private Client client;

    @Override
    Store store() {
        etcd = EtcdProcess.start();
        client = EtcdStore.connect(List.of(etcd.endpoint()));
        return new EtcdStore(client, List.of(etcd.endpoint()), Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        client.close();
        etcd.close();
    }
}
