package io.edgegate.controlplane.store;

import io.edgegate.spec.ObjectId;
import io.edgegate.spec.ObjectKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A store in this process's memory with etcd's semantics as the control plane uses them: one
 * revision counter for every change, guarded transactions, an epoch marker beside the objects,
 * and watches that replay recent history. Like etcd after a compaction, a watch from before the
 * changes it keeps is told the watch is lost, so its owner reloads. For tests of the API and the
 * config stream without an etcd binary; nothing survives the process.
 */
public final class MemoryStore implements Store {

    /** Changes kept for watches that start behind: enough for any follower that is not stuck. */
    static final int KEPT_CHANGES = 10_000;

    private final long clusterId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    /** Watch events arrive on their own thread, as etcd's do, never inside the writer's call. */
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "memory-store-watch");
        thread.setDaemon(true);
        return thread;
    });
    private final TreeMap<ObjectId, StoredRecord> objects = new TreeMap<>();
    private final java.util.ArrayDeque<StoreChange> history = new java.util.ArrayDeque<>();
    private final int keptChanges;
    private final List<StoreListener> listeners = new ArrayList<>();
    private long revision = 1;
    private long headRevision;
    private EpochMarker marker;

    public MemoryStore() {
        this(KEPT_CHANGES);
    }

    MemoryStore(int keptChanges) {
        this.keptChanges = keptChanges;
    }

    @Override
    public synchronized CompletableFuture<StoreSnapshot> loadAll() {
        return CompletableFuture.completedFuture(new StoreSnapshot(revision, List.copyOf(objects.values()), clusterId,
                Optional.ofNullable(marker), headRevision));
    }

    @Override
    public synchronized CompletableFuture<StoreProbe> probe() {
        return CompletableFuture.completedFuture(new StoreProbe(revision, clusterId, Optional.ofNullable(marker), headRevision));
    }

    @Override
    public synchronized CompletableFuture<Boolean> markEpoch(Epoch epoch, long expectedModRevision) {
        long current = marker == null ? 0 : marker.modRevision();
        if (current != expectedModRevision) {
            return CompletableFuture.completedFuture(false);
        }
        revision++;
        marker = new EpochMarker(epoch, revision);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public synchronized CompletableFuture<StoreSnapshot> list(ObjectKind kind) {
        List<StoredRecord> ofKind = objects.values().stream().filter(r -> r.id().kind() == kind).toList();
        return CompletableFuture.completedFuture(new StoreSnapshot(revision, ofKind));
    }

    @Override
    public synchronized CompletableFuture<ReadResult> read(Collection<ObjectId> ids) {
        Map<ObjectId, StoredRecord> found = new HashMap<>();
        for (ObjectId id : ids) {
            StoredRecord record = objects.get(id);
            if (record != null) {
                found.put(id, record);
            }
        }
        return CompletableFuture.completedFuture(new ReadResult(revision, found));
    }

    @Override
    public synchronized CompletableFuture<WriteOutcome> write(List<StoreWrite> writes) {
        for (StoreWrite write : writes) {
            if (!guardHolds(write)) {
                return CompletableFuture.completedFuture(new WriteOutcome(false, revision));
            }
        }
        List<StoreWrite> changes = writes.stream().filter(w -> !(w instanceof StoreWrite.Absent)).toList();
        if (changes.isEmpty()) {
            return CompletableFuture.completedFuture(new WriteOutcome(true, revision));
        }
        revision++;
        headRevision = revision;
        List<StoredRecord> puts = new ArrayList<>();
        List<ObjectId> deletes = new ArrayList<>();
        for (StoreWrite write : changes) {
            if (write instanceof StoreWrite.Put put) {
                StoredRecord before = objects.get(put.id());
                StoredRecord after = new StoredRecord(put.id(), put.json(), revision, before == null ? revision : before.createRevision());
                objects.put(put.id(), after);
                puts.add(after);
            } else {
                objects.remove(write.id());
                deletes.add(write.id());
            }
        }
        StoreChange change = new StoreChange(revision, puts, deletes);
        history.addLast(change);
        if (history.size() > keptChanges) {
            history.removeFirst();
        }
        List<StoreListener> watching = List.copyOf(listeners);
        events.execute(() -> watching.forEach(listener -> listener.onChange(change)));
        return CompletableFuture.completedFuture(new WriteOutcome(true, revision));
    }

    private boolean guardHolds(StoreWrite write) {
        StoredRecord current = objects.get(write.id());
        long modRevision = current == null ? 0 : current.modRevision();
        if (write instanceof StoreWrite.Put put) {
            return modRevision == put.expectedModRevision();
        }
        if (write instanceof StoreWrite.Delete delete) {
            return current != null && modRevision == delete.expectedModRevision();
        }
        return current == null;
    }

    @Override
    public synchronized AutoCloseable watch(long afterRevision, StoreListener listener) {
        StoreChange oldest = history.peekFirst();
        if (oldest != null && oldest.revision() > afterRevision + 1 && history.size() == keptChanges) {
            IllegalStateException compacted = new IllegalStateException("changes after revision " + afterRevision
                    + " are no longer kept (oldest kept: " + oldest.revision() + ")");
            events.execute(() -> listener.onWatchLost(compacted));
            return () -> { };
        }
        List<StoreChange> missed = history.stream().filter(c -> c.revision() > afterRevision).toList();
        listeners.add(listener);
        events.execute(() -> missed.forEach(listener::onChange));
        return () -> {
            synchronized (this) {
                listeners.remove(listener);
            }
        };
    }

    @Override
    public String describe() {
        return "the in-memory store";
    }

    @Override
    public void close() {
        events.shutdownNow();
    }
}
