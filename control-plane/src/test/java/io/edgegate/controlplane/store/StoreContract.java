package io.edgegate.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.spec.ObjectId;
import io.edgegate.spec.ObjectKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What the control plane relies on from a store, run against etcd and against the in-memory
 * store alike, so the in-memory one keeps etcd's semantics: one revision counter, guarded
 * all-or-nothing writes, an epoch marker, and watches that replay from a revision.
 */
abstract class StoreContract {

    private static final ObjectId WEB = new ObjectId(ObjectKind.HTTP_SERVER, "web");
    private static final ObjectId API = new ObjectId(ObjectKind.HTTP_PIPELINE, "api");

    /** A store with nothing in it. */
    abstract Store store();

    private static long put(Store store, ObjectId id, String json, long expected) {
        WriteOutcome outcome = store.write(List.of(new StoreWrite.Put(id, json, expected))).join();
        assertThat(outcome.committed()).as("put %s guarded by %d", id, expected).isTrue();
        return outcome.revision();
    }

    @Test
    void aWriteGetsANewRevisionThatItsRecordsCarry() {
        Store store = store();
        long created = put(store, WEB, "{\"v\":1}", 0);
        long updated = put(store, WEB, "{\"v\":2}", created);

        StoredRecord web = store.read(List.of(WEB, API)).join().get(WEB).orElseThrow();

        assertThat(updated).isGreaterThan(created);
        assertThat(web.json()).isEqualTo("{\"v\":2}");
        assertThat(web.modRevision()).isEqualTo(updated);
        assertThat(web.createRevision()).isEqualTo(created);
        assertThat(store.read(List.of(API)).join().get(API)).isEmpty();
    }

    @Test
    void aTransactionWithOneStaleGuardChangesNothing() {
        Store store = store();
        long created = put(store, WEB, "{\"v\":1}", 0);
        long before = store.probe().join().revision();

        WriteOutcome refused = store.write(List.of(
                new StoreWrite.Put(API, "{}", 0),
                new StoreWrite.Put(WEB, "{\"v\":2}", created - 1))).join();
        WriteOutcome existing = store.write(List.of(new StoreWrite.Put(WEB, "{}", 0))).join();
        WriteOutcome missingDelete = store.write(List.of(new StoreWrite.Delete(API, 5))).join();

        assertThat(refused.committed()).isFalse();
        assertThat(existing.committed()).as("a create of an object that exists").isFalse();
        assertThat(missingDelete.committed()).isFalse();
        assertThat(store.read(List.of(API)).join().get(API)).isEmpty();
        assertThat(store.probe().join().revision()).isEqualTo(before);
    }

    @Test
    void deletesAndAbsenceGuards() {
        Store store = store();
        long created = put(store, WEB, "{}", 0);

        WriteOutcome onlyAbsent = store.write(List.of(new StoreWrite.Absent(API))).join();
        WriteOutcome absentFails = store.write(List.of(new StoreWrite.Absent(WEB), new StoreWrite.Put(API, "{}", 0))).join();
        WriteOutcome deleted = store.write(List.of(new StoreWrite.Delete(WEB, created))).join();

        assertThat(onlyAbsent.committed()).isTrue();
        assertThat(absentFails.committed()).isFalse();
        assertThat(deleted.committed()).isTrue();
        assertThat(store.loadAll().join().objects()).isEmpty();
    }

    @Test
    void listingByKindAndLoadingAllAtOneRevision() {
        Store store = store();
        put(store, WEB, "{}", 0);
        long last = put(store, API, "{}", 0);

        StoreSnapshot all = store.loadAll().join();

        assertThat(store.list(ObjectKind.HTTP_PIPELINE).join().objects()).extracting(StoredRecord::id).containsExactly(API);
        assertThat(all.objects()).extracting(StoredRecord::id).containsExactlyInAnyOrder(WEB, API);
        assertThat(all.revision()).isGreaterThanOrEqualTo(last);
        assertThat(all.headRevision()).as("the newest config change").isEqualTo(last);
    }

    @Test
    void theEpochMarkerIsReplacedOnlyByWhoSawTheLastOne() {
        Store store = store();
        Epoch first = Epoch.start(1_000, null, "a new, empty store", true);
        Epoch second = Epoch.start(2_000, first, "restored", false);

        assertThat(store.markEpoch(first, 0).join()).isTrue();
        assertThat(store.markEpoch(second, 0).join()).as("guarded by 'no marker yet'").isFalse();
        EpochMarker marker = store.probe().join().marker().orElseThrow();
        assertThat(marker.epoch()).isEqualTo(first);
        assertThat(store.markEpoch(second, marker.modRevision()).join()).isTrue();

        assertThat(store.loadAll().join().marker()).map(EpochMarker::epoch).hasValue(second);
        assertThat(store.loadAll().join().objects()).as("the marker is not an object").isEmpty();
    }

    @Test
    void aWatchReplaysWhatCameAfterItsRevisionThenFollows() throws Exception {
        Store store = store();
        long first = put(store, WEB, "{}", 0);
        long second = put(store, API, "{}", 0);
        List<StoreChange> seen = new CopyOnWriteArrayList<>();

        try (AutoCloseable watch = store.watch(first, new StoreListener() {
            @Override
            public void onChange(StoreChange change) {
                seen.add(change);
            }

            @Override
            public void onWatchLost(Throwable cause) {
            }
        })) {
            long third = store.write(List.of(new StoreWrite.Delete(WEB, first))).join().revision();

            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
            assertThat(seen).extracting(StoreChange::revision).containsExactly(second, third);
            assertThat(seen.get(0).puts()).extracting(StoredRecord::id).containsExactly(API);
            assertThat(seen.get(1).deletes()).containsExactly(WEB);
        }
    }
}
