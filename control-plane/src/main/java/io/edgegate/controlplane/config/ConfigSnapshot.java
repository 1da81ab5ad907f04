package io.edgegate.controlplane.config;

import io.edgegate.api.v1.StoredObject;
import io.edgegate.controlplane.ProtoMapping;
import io.edgegate.controlplane.store.StoreChange;
import io.edgegate.controlplane.store.StoreSnapshot;
import io.edgegate.controlplane.store.StoredRecord;
import io.edgegate.spec.ObjectId;
import java.util.HashMap;
import java.util.Map;

/** The whole configuration at one revision, immutable, in the form it is sent to data planes. */
public record ConfigSnapshot(long revision, Map<ObjectId, StoredObject> objects) {

    public static final ConfigSnapshot EMPTY = new ConfigSnapshot(0, Map.of());

    public ConfigSnapshot {
        objects = Map.copyOf(objects);
    }

    public static ConfigSnapshot of(StoreSnapshot snapshot) {
        Map<ObjectId, StoredObject> objects = new HashMap<>();
        for (StoredRecord record : snapshot.objects()) {
            objects.put(record.id(), ProtoMapping.stored(record));
        }
        return new ConfigSnapshot(snapshot.revision(), objects);
    }

    public ConfigSnapshot apply(StoreChange change) {
        Map<ObjectId, StoredObject> objects = new HashMap<>(this.objects);
        change.deletes().forEach(objects::remove);
        change.puts().forEach(record -> objects.put(record.id(), ProtoMapping.stored(record)));
        return new ConfigSnapshot(change.revision(), objects);
    }
}
