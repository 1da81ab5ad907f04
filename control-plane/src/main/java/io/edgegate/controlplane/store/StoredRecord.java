package io.edgegate.controlplane.store;

import static java.util.Objects.requireNonNull;

import io.edgegate.spec.ObjectId;

/** An object as etcd holds it: its canonical JSON and etcd's revisions for it. */
public record StoredRecord(ObjectId id, String json, long modRevision, long createRevision) {

    public StoredRecord {
        requireNonNull(id, "id");
        requireNonNull(json, "json");
    }
}
