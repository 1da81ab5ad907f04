package io.edgegate.controlplane.store;

import io.edgegate.spec.ObjectId;
import io.edgegate.spec.ObjectKind;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where objects live. Every method is asynchronous; a store that cannot be reached fails the
 * future with {@link StoreUnavailableException}.
 */
public interface Store extends AutoCloseable {

    /** Every object and the epoch marker, at one revision. */
    CompletableFuture<StoreSnapshot> loadAll();

    /** The store's current revision, cluster and epoch marker, read cheaply: how a changed history is noticed. */
    CompletableFuture<StoreProbe> probe();

    /**
     * Writes {@code epoch} as the store's marker if the marker is still the one last written at
     * {@code expectedModRevision} (0: if there is none). Completes with whether it was written.
     */
    CompletableFuture<Boolean> markEpoch(Epoch epoch, long expectedModRevision);

    /** Every object of one kind. */
    CompletableFuture<StoreSnapshot> list(ObjectKind kind);

    /** The given objects, read together at one revision. */
    CompletableFuture<ReadResult> read(Collection<ObjectId> ids);

    /** Applies all writes in one transaction, or none of them if any guard fails. */
    CompletableFuture<WriteOutcome> write(List<StoreWrite> writes);

    /** Streams changes after {@code afterRevision} until closed. */
    AutoCloseable watch(long afterRevision, StoreListener listener);

    /** Names the store for messages, e.g. {@code etcd at http://127.0.0.1:2379}. */
    String describe();

    @Override
    void close();
}
