package io.edgegate.controlplane.store;

import org.junit.jupiter.api.AfterEach;

class MemoryStoreTest extends StoreContract {

    private final MemoryStore store = new MemoryStore();

    @Override
    Store store() {
        return store;
    }

    @AfterEach
    void close() {
        store.close();
    }
}
