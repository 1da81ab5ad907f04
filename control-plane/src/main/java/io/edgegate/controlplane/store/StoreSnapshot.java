package io.edgegate.controlplane.store;

import java.util.List;
import java.util.Optional;

/**
 * Every object at one store revision, with the store's epoch marker and the revision of its
 * newest config change ({@code headRevision}) read at the same revision, and the id of the etcd
 * cluster that answered.
 */
public record StoreSnapshot(long revision, List<StoredRecord> objects, long clusterId, Optional<EpochMarker> marker,
                            long headRevision) {

    public StoreSnapshot {
        objects = List.copyOf(objects);
    }

    /** A snapshot without history information (a listing of one kind). */
    public StoreSnapshot(long revision, List<StoredRecord> objects) {
        this(revision, objects, 0, Optional.empty(), 0);
    }
}
