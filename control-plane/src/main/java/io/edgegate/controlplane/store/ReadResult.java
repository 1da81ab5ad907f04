package io.edgegate.controlplane.store;

import io.edgegate.spec.ObjectId;
import java.util.Map;
import java.util.Optional;

/** Objects read together at one revision; an id that is absent has no entry. */
public record ReadResult(long revision, Map<ObjectId, StoredRecord> found) {

    public ReadResult {
        found = Map.copyOf(found);
    }

    public Optional<StoredRecord> get(ObjectId id) {
        return Optional.ofNullable(found.get(id));
    }
}
