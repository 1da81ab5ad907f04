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

    /**
     * The revision of the newest config change this snapshot holds: the config head's, or its newest
     * object's (a store written before the head key). etcd's own revision also counts writes that are not
     * config (member records, replica keys), so two replicas that loaded at different moments would give
     * the same config different numbers, and nodes of one would look behind through the other. With none,
     * the epoch marker's. (A delete made behind the control plane's back, with etcdctl, moves no head: a
     * reload names that config by its newest object.)
     */
    public long configRevision() {
        long newest = headRevision;
        for (StoredRecord record : objects) {
            newest = Math.max(newest, record.modRevision());
        }
        if (newest == 0) {
            newest = marker.map(EpochMarker::modRevision).orElse(revision);
        }
        return newest;
    }

    /** A snapshot without history information (a listing of one kind). */
    public StoreSnapshot(long revision, List<StoredRecord> objects) {
        this(revision, objects, 0, Optional.empty(), 0);
    }
}
