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

    /**
     * Most nodes were sent the same snapshot, so each (from, to) pair is built once and shared
     * by every stream that needs it; only the latest target is kept.
     */
    public static final class Memo {

        private ConfigSnapshot to;
        private final java.util.Map<Long, ConfigUpdate> byFrom = new java.util.HashMap<>();

        public synchronized ConfigUpdate update(ConfigSnapshot from, ConfigSnapshot latest) {
            if (to != latest) {
                to = latest;
                byFrom.clear();
            }
            // Across epochs revisions mean nothing: the node gets the whole snapshot, which replaces its config.
            boolean whole = from == null || !from.sameEpoch(latest);
            long key = whole ? -1 : from.revision();
            return byFrom.computeIfAbsent(key, k -> whole ? full(latest) : between(from, latest));
        }
    }

    public static ConfigUpdate full(ConfigSnapshot snapshot) {
        return ConfigUpdate.newBuilder()
                .setEpoch(snapshot.epoch().id())
                .setRevision(snapshot.revision())
                .setFullSnapshot(true)
                .addAllUpserts(snapshot.objects().values())
                .build();
    }

    public static ConfigUpdate between(ConfigSnapshot from, ConfigSnapshot to) {
        ConfigUpdate.Builder update = ConfigUpdate.newBuilder().setEpoch(to.epoch().id()).setRevision(to.revision());
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
