package io.edgegate.controlplane.store;

import java.util.List;

/** Every object at one store revision. */
public record StoreSnapshot(long revision, List<StoredRecord> objects) {

    public StoreSnapshot {
        objects = List.copyOf(objects);
    }
}
