package io.edgegate.controlplane.config;

import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.ObjectPatch;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.controlplane.ProtoMapping;
import io.edgegate.spec.ObjectId;
import io.edgegate.spec.codec.TextChange;
import java.util.Map;
import java.util.Optional;

/**
 * What a node is sent: the whole snapshot the first time, then the difference between the
 * snapshot it was last sent and the newest one. Diffing snapshots (rather than replaying
 * changes) is what lets a slow node skip straight to the newest state. A node that takes
 * patches gets a large object that changed in part as that part: one route of 50,000 is a few
 * dozen bytes on the wire instead of the server's megabytes.
 */
public final class ConfigDelta {

    private ConfigDelta() {
    }

    /**
     * Most nodes were sent the same snapshot, so each (from, to) pair is built once and shared
     * by every stream that needs it; only the latest target is kept.
     */
    public static final class Memo {

        private record From(long revision, boolean patches) {
        }

        private ConfigSnapshot to;
        private final java.util.Map<From, ConfigUpdate> byFrom = new java.util.HashMap<>();

        public synchronized ConfigUpdate update(ConfigSnapshot from, ConfigSnapshot latest, boolean patches) {
            if (to != latest) {
                to = latest;
                byFrom.clear();
            }
            // Across epochs revisions mean nothing: the node gets the whole snapshot, which replaces its config.
            boolean whole = from == null || !from.sameEpoch(latest);
            From key = new From(whole ? -1 : from.revision(), patches && !whole);
            return byFrom.computeIfAbsent(key, k -> whole ? full(latest) : between(from, latest, k.patches()));
        }
    }

    /** Objects of at least this many chars are sent as a patch when most of them stayed. */
    static final int PATCHED_FROM = 16 * 1024;

    public static ConfigUpdate full(ConfigSnapshot snapshot) {
        return ConfigUpdate.newBuilder()
                .setEpoch(snapshot.epoch().id())
                .setRevision(snapshot.revision())
                .setFullSnapshot(true)
                .addAllUpserts(snapshot.objects().values())
                .build();
    }

    /** The changes from {@code from} to {@code to}; with {@code patches}, large objects changed in part are sent as that part. */
    public static ConfigUpdate between(ConfigSnapshot from, ConfigSnapshot to, boolean patches) {
        ConfigUpdate.Builder update = ConfigUpdate.newBuilder().setEpoch(to.epoch().id()).setRevision(to.revision());
        for (Map.Entry<ObjectId, StoredObject> entry : to.objects().entrySet()) {
            StoredObject before = from.objects().get(entry.getKey());
            StoredObject after = entry.getValue();
            if (before != null && before.getRevision() == after.getRevision()) {
                continue;
            }
            Optional<ObjectPatch> patch = patches && before != null ? patch(before, after) : Optional.empty();
            if (patch.isPresent()) {
                update.addPatches(patch.get());
            } else {
                update.addUpserts(after);
            }
        }
        for (ObjectId id : from.objects().keySet()) {
            if (!to.objects().containsKey(id)) {
                update.addDeletes(ProtoMapping.key(id));
            }
        }
        return update.build();
    }

    private static Optional<ObjectPatch> patch(StoredObject before, StoredObject after) {
        if (after.getJson().length() < PATCHED_FROM || before.getJson().length() < PATCHED_FROM) {
            return Optional.empty();
        }
        TextChange change = TextChange.between(before.getJson(), after.getJson());
        if (change.middle().length() > after.getJson().length() / 2) {
            return Optional.empty();
        }
        return Optional.of(ObjectPatch.newBuilder().setKey(after.getKey()).setRevision(after.getRevision())
                .setBaseRevision(before.getRevision()).setKeepPrefix(change.keepPrefix()).setKeepSuffix(change.keepSuffix())
                .setMiddle(change.middle()).setLength(change.length()).build());
    }
}
