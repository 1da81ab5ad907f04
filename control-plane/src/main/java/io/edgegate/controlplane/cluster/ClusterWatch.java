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
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * {@code egctl watch}: turns config snapshots into object changes and member records into
 * acknowledgements and connections, as they happen. Each acknowledgement carries the delay
 * from this replica seeing the revision to the node confirming it.
 */
final class ClusterWatch {

    /**
     * A client that stopped reading (its flow-control window full) is closed once more than
     * {@link #MAX_EVENTS_BEHIND} events wait for it and it has not read for {@link #PATIENCE}: a
     * stuck script must not grow this replica's memory, while a reader that is merely busy with a
     * burst (one apply of a thousand objects) gets time to catch up. Beyond {@link #HARD_LIMIT}
     * waiting events it is closed at once.
     */
    static final int MAX_EVENTS_BEHIND = 256;
    static final long PATIENCE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    static final int HARD_LIMIT = 20_000;

    private final ServerCallStreamObserver<ClusterEvent> out;
    private final ClusterView view;
    private final ConfigCache cache;
    private final Clock clock;
    private final Consumer<ConfigSnapshot> configListener = snapshot -> configChanged();
    private final Consumer<String> memberListener = this::memberChanged;
    private final Map<String, Member> members = new HashMap<>();
    private ConfigSnapshot config;
    private boolean closed;
    private int sentWhileNotReady;
    private long notReadySinceNanos;

    ClusterWatch(ServerCallStreamObserver<ClusterEvent> out, ClusterView view, ConfigCache cache, Clock clock) {
        this.out = out;
        this.view = view;
        this.cache = cache;
        this.clock = clock;
    }

    void start() {
        out.setOnCancelHandler(this::close);
        out.setOnReadyHandler(this::caughtUp);
        synchronized (this) {
            config = cache.current();
            view.members(config).forEach(m -> members.put(m.getNodeId(), m));
        }
        cache.subscribe(configListener);
        view.subscribe(memberListener);
    }

    private synchronized void configChanged() {
        ConfigSnapshot next = cache.current();
        boolean newEpoch = !next.sameEpoch(config);
        if (closed || (!newEpoch && next.revision() <= config.revision())) {
            return;
        }
        if (newEpoch) {
            send(ClusterEvent.newBuilder().setEpoch(ClusterApi.epoch(next.epoch(), false)));
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
        Member before = members.get(nodeId);
        if (now == null) {
            return;
        }
        members.put(nodeId, now);
        if (before == null || before.getConnected() != now.getConnected()) {
            send(ClusterEvent.newBuilder().setConnection(NodeConnection.newBuilder()
                    .setNodeId(nodeId).setConnected(now.getConnected()).setControlPlane(now.getControlPlane())));
        }
        boolean appliedMoved = before == null ? now.getAppliedRevision() > 0
                : !before.getAppliedEpoch().equals(now.getAppliedEpoch()) || now.getAppliedRevision() > before.getAppliedRevision();
        if (appliedMoved) {
            ack(nodeId, now.getAppliedEpoch(), now.getAppliedRevision(), "", now.getAppliedAtMillis());
        }
        boolean rejectedMoved = before == null ? now.getRejectedRevision() > 0
                : !before.getRejectedEpoch().equals(now.getRejectedEpoch()) || now.getRejectedRevision() > before.getRejectedRevision();
        if (rejectedMoved && !now.getLastError().isEmpty()) {
            ack(nodeId, now.getRejectedEpoch(), now.getRejectedRevision(), now.getLastError(), now.getRejectedAtMillis());
        }
    }

    private void object(ObjectId id, Action action, long revision) {
        send(ClusterEvent.newBuilder().setObject(ObjectChange.newBuilder()
                .setKey(ProtoMapping.key(id)).setAction(action).setRevision(revision)));
    }

    private void ack(String nodeId, String epoch, long revision, String error, long ackedAt) {
        OptionalLong seen = epoch.equals(cache.current().epoch().id()) ? cache.seenAt(revision) : OptionalLong.empty();
        long delay = seen.isPresent() ? Math.max(0, ackedAt - seen.getAsLong()) : -1;
        send(ClusterEvent.newBuilder().setAck(NodeAck.newBuilder()
                .setNodeId(nodeId).setRevision(revision).setError(error).setDelayMillis(delay)));
    }

    private synchronized void caughtUp() {
        sentWhileNotReady = 0;
    }

    private boolean fallenBehind() {
        if (out.isReady()) {
            return false;
        }
        long now = System.nanoTime();
        if (sentWhileNotReady++ == 0) {
            notReadySinceNanos = now;
        }
        return sentWhileNotReady > HARD_LIMIT
                || sentWhileNotReady > MAX_EVENTS_BEHIND && now - notReadySinceNanos > PATIENCE_NANOS;
    }

    private void send(ClusterEvent.Builder event) {
        if (closed) {
            return;
        }
        if (fallenBehind()) {
            close();
            try {
                out.onError(Status.RESOURCE_EXHAUSTED.withDescription("this watch fell " + sentWhileNotReady
                        + " events behind because the client stopped reading; it was closed (watch again to follow from now)")
                        .asRuntimeException());
            } catch (RuntimeException e) {
                // The call ended meanwhile.
            }
            return;
        }
        try {
            out.onNext(event.setAtMillis(clock.millis()).build());
        } catch (RuntimeException e) {
            close();
        }
    }

    private synchronized void close() {
        closed = true;
        cache.unsubscribe(configListener);
        view.unsubscribe(memberListener);
    }
}
