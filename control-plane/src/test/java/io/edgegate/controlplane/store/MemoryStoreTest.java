package io.edgegate.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.spec.ObjectId;
import io.edgegate.spec.ObjectKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

    @Test
    void aWatchFromBeforeTheKeptChangesIsLostLikeACompactedEtcdWatch() throws Exception {
        MemoryStore small = new MemoryStore(2);
        ObjectId id = new ObjectId(ObjectKind.CUSTOM_DATA, "d");
        long first = small.write(List.of(new StoreWrite.Put(id, "{\"v\":1}", 0))).join().revision();
        long second = small.write(List.of(new StoreWrite.Put(id, "{\"v\":2}", first))).join().revision();
        small.write(List.of(new StoreWrite.Put(id, "{\"v\":3}", second))).join();
        List<String> heard = new CopyOnWriteArrayList<>();
        StoreListener listener = new StoreListener() {
            @Override
            public void onChange(StoreChange change) {
                heard.add("change " + change.revision());
            }

            @Override
            public void onWatchLost(Throwable cause) {
                heard.add("lost");
            }
        };

        try (AutoCloseable behind = small.watch(first - 1, listener); AutoCloseable recent = small.watch(first, listener)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 3);
            assertThat(heard).containsExactly("lost", "change " + second, "change " + (second + 1));
        } finally {
            small.close();
        }
    }
}
