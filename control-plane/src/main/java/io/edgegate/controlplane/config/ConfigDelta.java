package io.edgegate.controlplane.config;

import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.controlplane.ProtoMapping;
import io.edgegate.spec.ObjectId;
import java.util.Map;

/**
 * What a node is sent: the whole snapshot the first time, then the difference between the
 * snapshot it was last sent and the newest one. Diffing snapshots (rather than replaying
 * changes) is what lets a slow node skip straight to the newest state.
 */
public final class ConfigDelta {

    private ConfigDelta() {
    }

    public static ConfigUpdate full(ConfigSnapshot snapshot) {
        return ConfigUpdate.newBuilder()
                .setRevision(snapshot.revision())
                .setFullSnapshot(true)
                .addAllUpserts(snapshot.objects().values())
                .build();
    }

    public static ConfigUpdate between(ConfigSnapshot from, ConfigSnapshot to) {
        ConfigUpdate.Builder update = ConfigUpdate.newBuilder().setRevision(to.revision());
        for (Map.Entry<ObjectId, StoredObject> entry : to.objects().entrySet()) {
            StoredObject before = from.objects().get(entry.getKey());
            if (before == null || before.getRevision() != entry.getValue().getRevision()) {
                update.addUpserts(entry.getValue());
            }
        }
        for (ObjectId id : from.objects().keySet()) {
            if (!to.objects().containsKey(id)) {
                update.addDeletes(ProtoMapping.key(id));
            }
        }
        return update.build();
    }
}
