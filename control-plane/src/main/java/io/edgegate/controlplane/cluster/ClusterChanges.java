package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.Action;
import io.edgegate.api.v1.ClusterEvent;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.NodeAck;
import io.edgegate.api.v1.NodeConnection;
import io.edgegate.api.v1.ObjectChange;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.controlplane.ProtoMapping;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.config.ConfigSnapshot;
import io.edgegate.spec.ObjectId;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Turns config snapshots into object changes and member records into acknowledgements and
 * connections, as they happen, for whoever follows the cluster ({@code egctl watch}, the console).
 * Each acknowledgement carries the delay from this replica seeing the revision to the node
 * confirming it. Events reach the sink one at a time, in order, without their time set.
 */
public final class ClusterChanges {

    private final ClusterView view;
    private final ConfigCache cache;
    private final Consumer<ClusterEvent.Builder> sink;
    private final Consumer<ConfigSnapshot> configListener = snapshot -> configChanged();
    private final Consumer<String> memberListener = this::memberChanged;
    private final Map<String, Member> members = new HashMap<>();
    private ConfigSnapshot config;
    private boolean closed;

    public ClusterChanges(ClusterView view, ConfigCache cache, Consumer<ClusterEvent.Builder> sink) {
        this.view = view;
        this.cache = cache;
        this.sink = sink;
    }

    /** Follows changes from now on; what the cluster is now is not sent. */
    public void start() {
        synchronized (this) {
            config = cache.current();
            view.members(config).forEach(m -> members.put(m.getNodeId(), m));
        }
        cache.subscribe(configListener);
        view.subscribe(memberListener);
    }

    public synchronized void close() {
        closed = true;
        cache.unsubscribe(configListener);
        view.unsubscribe(memberListener);
    }

    private synchronized void configChanged() {
        ConfigSnapshot next = cache.current();
        boolean newEpoch = !next.sameEpoch(config);
        if (closed || (!newEpoch && next.revision() <= config.revision())) {
            return;
        }
        if (newEpoch) {
            sink.accept(ClusterEvent.newBuilder().setEpoch(ClusterApi.epoch(next.epoch(), false)));
        }
        for (Map.Entry<ObjectId, StoredObject> entry : next.objects().entrySet()) {
            StoredObject before = config.objects().get(entry.getKey());
            if (before == null) {
                object(entry.getKey(), Action.CREATED, entry.getValue().getRevision());
            } else if (before.getRevision() != entry.getValue().getRevision()) {
                object(entry.getKey(), Action.CONFIGURED, entry.getValue().getRevision());
            }
        }
        for (ObjectId id : config.objects().keySet()) {
            if (!next.objects().containsKey(id)) {
                object(id, Action.DELETED, next.revision());
            }
        }
        config = next;
    }

    private synchronized void memberChanged(String nodeId) {
        if (closed) {
            return;
        }
        Member now = view.member(nodeId).orElse(null);
        if (now == null) {
            // Forgotten (gone past the retention, or deleted): node ids come and go with every rollout.
            members.remove(nodeId);
            return;
        }
        Member before = members.get(nodeId);
        members.put(nodeId, now);
        if (before == null || before.getConnected() != now.getConnected()) {
            sink.accept(ClusterEvent.newBuilder().setConnection(NodeConnection.newBuilder()
                    .setNodeId(nodeId).setConnected(now.getConnected()).setControlPlane(now.getControlPlane())));
        }
        boolean appliedMoved = before == null ? now.getAppliedRevision() > 0
                : !before.getAppliedEpoch().equals(now.getAppliedEpoch()) || now.getAppliedRevision() > before.getAppliedRevision();
        // A revision a node names in its hello was applied before, maybe in another history: its connection
        // says it came; only an ACK (which has a time) is news of an apply.
        if (appliedMoved && now.getAppliedAtMillis() > 0) {
            ack(nodeId, now.getAppliedEpoch(), now.getAppliedRevision(), "", now.getAppliedAtMillis());
        }
        boolean rejectedMoved = before == null ? now.getRejectedRevision() > 0
                : !before.getRejectedEpoch().equals(now.getRejectedEpoch()) || now.getRejectedRevision() > before.getRejectedRevision();
        if (rejectedMoved && !now.getLastError().isEmpty()) {
            ack(nodeId, now.getRejectedEpoch(), now.getRejectedRevision(), now.getLastError(), now.getRejectedAtMillis());
        }
    }

    /** How many nodes this follower holds the last record of (for tests). */
    synchronized int followedMembers() {
        return members.size();
    }

    private void object(ObjectId id, Action action, long revision) {
        sink.accept(ClusterEvent.newBuilder().setObject(ObjectChange.newBuilder()
                .setKey(ProtoMapping.key(id)).setAction(action).setRevision(revision)));
    }

    private void ack(String nodeId, String epoch, long revision, String error, long ackedAt) {
        OptionalLong seen = epoch.equals(cache.current().epoch().id()) ? cache.seenAt(revision) : OptionalLong.empty();
        long delay = seen.isPresent() ? Math.max(0, ackedAt - seen.getAsLong()) : -1;
        sink.accept(ClusterEvent.newBuilder().setAck(NodeAck.newBuilder()
                .setNodeId(nodeId).setRevision(revision).setError(error).setDelayMillis(delay)));
    }
}
