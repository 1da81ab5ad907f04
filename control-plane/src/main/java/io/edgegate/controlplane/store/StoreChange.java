package io.edgegate.controlplane.store;

import io.edgegate.spec.ObjectId;
import java.util.List;

/** What one store revision changed: objects written and objects deleted. */
public record StoreChange(long revision, List<StoredRecord> puts, List<ObjectId> deletes) {

    public StoreChange {
        puts = List.copyOf(puts);
        deletes = List.copyOf(deletes);
    }
}
