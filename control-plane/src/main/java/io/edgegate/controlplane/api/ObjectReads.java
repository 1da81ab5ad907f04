package io.edgegate.controlplane.api;

import io.edgegate.async.Causes;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.controlplane.ProtoMapping;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.config.ConfigSnapshot;
import io.edgegate.controlplane.store.Store;
import io.edgegate.controlplane.store.StoreUnavailableException;
import io.edgegate.spec.ObjectId;
import io.edgegate.spec.ObjectKind;
import io.grpc.Status;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads objects from etcd; when etcd cannot be reached, answers from this replica's cached
 * view instead and says that the answer may be stale, so operators can still see what the
 * cluster runs during an etcd outage.
 */
public final class ObjectReads {

    private final Store store;
    private final ConfigCache cache;

    public ObjectReads(Store store, ConfigCache cache) {
        this.store = store;
        this.cache = cache;
    }

    /** A read's answer, and why it may be stale (empty when it came from etcd). */
    public record Read<T>(T value, long revision, Optional<String> staleReason) {
    }

    public CompletableFuture<Read<StoredObject>> get(ObjectId id) {
        return store.read(List.of(id))
                .thenApply(result -> new Read<>(result.get(id).map(ProtoMapping::stored)
                        .orElseThrow(() -> notFound(id)), result.revision(), Optional.<String>empty()))
                .exceptionallyCompose(error -> fromCache(error, snapshot -> Optional.ofNullable(snapshot.objects().get(id))
                        .orElseThrow(() -> notFound(id))));
    }

    /** Every object of {@code kind}, or of every kind when empty; sorted by kind and name. */
    public CompletableFuture<Read<List<StoredObject>>> list(Optional<ObjectKind> kind) {
        var load = kind.isPresent() ? store.list(kind.get()) : store.loadAll();
        return load.thenApply(snapshot -> new Read<>(snapshot.objects().stream()
                        .sorted(Comparator.comparing(r -> r.id()))
                        .map(ProtoMapping::stored)
                        .toList(), snapshot.revision(), Optional.<String>empty()))
                .exceptionallyCompose(error -> fromCache(error, snapshot -> snapshot.objects().entrySet().stream()
                        .filter(e -> kind.isEmpty() || e.getKey().kind() == kind.get())
                        .sorted(java.util.Map.Entry.comparingByKey())
                        .map(java.util.Map.Entry::getValue)
                        .toList()));
    }

    private <T> CompletableFuture<Read<T>> fromCache(Throwable error, java.util.function.Function<ConfigSnapshot, T> answer) {
        Throwable cause = Causes.unwrap(error);
        if (!(cause instanceof StoreUnavailableException unavailable) || !cache.isReady()) {
            return CompletableFuture.failedFuture(cause);
        }
        ConfigSnapshot snapshot = cache.current();
        String reason = unavailable.getMessage() + "; this is the control plane's cached view at revision "
                + snapshot.revision() + " and may be stale";
        try {
            return CompletableFuture.completedFuture(new Read<>(answer.apply(snapshot), snapshot.revision(), Optional.of(reason)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static ApiException notFound(ObjectId id) {
        return new ApiException(Status.Code.NOT_FOUND, id + " not found");
    }
}
