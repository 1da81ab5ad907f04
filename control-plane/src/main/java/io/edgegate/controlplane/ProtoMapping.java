package io.edgegate.controlplane;

import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.controlplane.store.StoredRecord;
import io.edgegate.spec.ObjectId;

/** Conversions between store records and their wire form. */
public final class ProtoMapping {

    private ProtoMapping() {
    }

    public static ObjectKey key(ObjectId id) {
        return ObjectKey.newBuilder().setKind(id.kind().kindName()).setName(id.name()).build();
    }

    public static StoredObject stored(StoredRecord record) {
        return StoredObject.newBuilder()
                .setKey(key(record.id()))
                .setJson(record.json())
                .setRevision(record.modRevision())
                .setCreateRevision(record.createRevision())
                .build();
    }
}
