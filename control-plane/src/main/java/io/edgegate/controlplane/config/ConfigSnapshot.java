package io.edgegate.controlplane.config;

import io.edgegate.api.v1.StoredObject;
import io.edgegate.controlplane.ProtoMapping;
import io.edgegate.controlplane.store.Epoch;
import io.edgegate.controlplane.store.StoreChange;
import io.edgegate.controlplane.store.StoreSnapshot;
import io.edgegate.controlplane.store.StoredRecord;
import io.edgegate.spec.ObjectId;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The whole configuration at one version (epoch, revision), immutable, in the form it is sent
 * to data planes.
 */
public record ConfigSnapshot(Epoch epoch, long revision, Map<ObjectId, StoredObject> objects) {

    /** Before the first load: no epoch (an id that sorts before every real one). */
    public static final Epoch NO_EPOCH = new Epoch("", 0, "", false, false);
    public static final ConfigSnapshot EMPTY = new ConfigSnapshot(NO_EPOCH, 0, Map.of());

    public ConfigSnapshot {
        Objects.requireNonNull(epoch, "epoch");
        objects = Map.copyOf(objects);
    }

    public static ConfigSnapshot of(Epoch epoch, StoreSnapshot snapshot) {
        Map<ObjectId, StoredObject> objects = new HashMap<>();
        for (StoredRecord record : snapshot.objects()) {
            objects.put(record.id(), ProtoMapping.stored(record));
        }
        return new ConfigSnapshot(epoch, snapshot.configRevision(), objects);
    }

    public ConfigSnapshot apply(StoreChange change) {
        Map<ObjectId, StoredObject> objects = new HashMap<>(this.objects);
        change.deletes().forEach(objects::remove);
        change.puts().forEach(record -> objects.put(record.id(), ProtoMapping.stored(record)));
        return new ConfigSnapshot(epoch, change.revision(), objects);
    }

    /** Whether this snapshot is of the same store history as {@code other}. */
    public boolean sameEpoch(ConfigSnapshot other) {
        return epoch.id().equals(other.epoch().id());
    }
}
