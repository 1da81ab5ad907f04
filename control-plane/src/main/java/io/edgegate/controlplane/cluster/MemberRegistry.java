package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.Heartbeat;
import io.edgegate.api.v1.NodeHello;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The data-plane nodes connected to this control-plane replica. A node is identified by its
 * id; when it reconnects, the newest stream (session) owns the entry, so a late close of an
 * old stream does not mark a live node as gone. Every change is passed to the listeners
 * (the etcd publisher and the cluster view); records are immutable {@link Member} values.
 */
public final class MemberRegistry {

    private final ConcurrentMap<String, Entry> members = new ConcurrentHashMap<>();
    private final List<Consumer<Member>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Member>> recordListeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final Duration forgetAfter;
    private final String self;

    public MemberRegistry(Clock clock, Duration forgetAfter, String self) {
        this.clock = clock;
        this.forgetAfter = forgetAfter;
        this.self = self;
    }

    /** This replica's name in member records: its listen address. */
    public String self() {
        return self;
    }

    /** Told of every change, a node's live state alone included (this replica's own views follow it as it comes). */
    public void subscribe(Consumer<Member> listener) {
        listeners.add(listener);
    }

    /** Told of the changes a node's shared record must carry at once: all but its live state alone. */
    public void subscribeToRecordChanges(Consumer<Member> listener) {
        recordListeners.add(listener);
    }

    public void connected(NodeHello hello, Object session) {
        long now = clock.millis();
        Member member = Member.newBuilder()
                .setNodeId(hello.getNodeId())
                .setAddress(hello.getAddress())
                .setVersion(hello.getVersion())
                .setConnected(true)
                .setControlPlane(self)
                .setConnectedSinceMillis(now)
                .setLastSeenMillis(now)
                .setAppliedRevision(hello.getAppliedRevision())
                .setAppliedEpoch(hello.getAppliedEpoch())
                .setWarning(hello.getAppliedWarning())
                .setListenAddress(hello.getListenAddress())
                .setAdminListener(hello.getAdminListener())
                .build();
        members.put(hello.getNodeId(), new Entry(session, member));
        notify(member);
    }

    /** Any message from the node; not published on its own (see {@link MemberPublisher}). */
    public void seen(String nodeId, Object session) {
        update(nodeId, session, m -> m.toBuilder().setLastSeenMillis(clock.millis()).build(), false);
    }

    /**
     * A heartbeat with the node's live state of its objects and its traffic. This replica's views
     * hear of a changed live state at once; other replicas read it with the node's next refreshed
     * record (every 10 s, see {@link MemberPublisher}): live states carry counters that move with
     * traffic (a rate limiter's admitted requests), and publishing each change wrote every busy
     * node's record to etcd at every heartbeat.
     */
    public void seen(String nodeId, Object session, Heartbeat heartbeat) {
        boolean[] changed = new boolean[1];
        update(nodeId, session, m -> {
            long now = clock.millis();
            Member.Builder b = m.toBuilder().setLastSeenMillis(now).setTraffic(heartbeat.getTraffic()).setTrafficAtMillis(now);
            // Read before the node's last apply and sent after its ACK: the objects it describes may be gone. (A node
            // of an earlier version says no config: its live state is taken as it comes, as before.)
            boolean saysConfig = !heartbeat.getEpoch().isEmpty() || heartbeat.getRevision() != 0;
            if (saysConfig && isEarlier(heartbeat.getEpoch(), heartbeat.getRevision(), m.getAppliedEpoch(), m.getAppliedRevision())) {
                return b.build();
            }
            changed[0] = !m.getLiveList().equals(heartbeat.getLiveList());
            b.setLiveAtMillis(now).setLiveEpoch(heartbeat.getEpoch()).setLiveRevision(heartbeat.getRevision());
            return changed[0] ? b.clearLive().addAllLive(heartbeat.getLiveList()).build() : b.build();
        }, false);
        if (changed[0]) {
            get(nodeId).ifPresent(m -> listeners.forEach(listener -> listener.accept(m)));
        }
    }

    public void applied(String nodeId, Object session, String epoch, long revision) {
        applied(nodeId, session, epoch, revision, "");
    }

    /** {@code warning}: what the node's ACK warned of (empty: nothing), kept with the revision it came with. */
    public void applied(String nodeId, Object session, String epoch, long revision, String warning) {
        update(nodeId, session, m -> {
            long now = clock.millis();
            Member.Builder b = m.toBuilder().setLastSeenMillis(now);
            // Nodes only move to later epochs; within one, only forward.
            if (!epoch.equals(m.getAppliedEpoch()) || revision >= m.getAppliedRevision()) {
                b.setAppliedEpoch(epoch).setAppliedRevision(revision).setAppliedAtMillis(now).setWarning(warning);
                boolean liveSaysConfig = !m.getLiveEpoch().isEmpty() || m.getLiveRevision() != 0;
                if (liveSaysConfig && isEarlier(m.getLiveEpoch(), m.getLiveRevision(), epoch, revision)) {
                    // What the node's objects last said describes the config it ran before: not shown as its state now.
                    b.clearLive().clearLiveEpoch().clearLiveRevision();
                }
            }
            if (!epoch.equals(m.getRejectedEpoch()) || revision >= m.getRejectedRevision()) {
                b.setLastError("");
            }
            return b.build();
        }, true);
    }

    /** Whether the live state of config (epoch, revision) is of an earlier config than the applied one. */
    private static boolean isEarlier(String epoch, long revision, String appliedEpoch, long appliedRevision) {
        return !epoch.equals(appliedEpoch) || revision < appliedRevision;
    }

    public void rejected(String nodeId, Object session, String epoch, long revision, String error) {
        update(nodeId, session, m -> {
            long now = clock.millis();
            return m.toBuilder().setLastSeenMillis(now).setRejectedEpoch(epoch).setRejectedRevision(revision)
                    .setRejectedAtMillis(now).setLastError(error).build();
        }, true);
    }

    public void disconnected(String nodeId, Object session) {
        update(nodeId, session, m -> m.toBuilder().setConnected(false).setControlPlane("")
                .setLastSeenMillis(clock.millis()).build(), true);
    }

    /** Drops what this replica knows of a node that is not connected to it; false if it is. */
    public boolean forget(String nodeId) {
        Entry entry = members.get(nodeId);
        return entry == null || (!entry.member.getConnected() && members.remove(nodeId, entry));
    }

    public Optional<Member> get(String nodeId) {
        Entry entry = members.get(nodeId);
        return entry == null ? Optional.empty() : Optional.of(entry.member);
    }

    /** Every node this replica knows of. */
    public List<Member> all() {
        return members.values().stream().map(Entry::member).toList();
    }

    /** Forgets nodes disconnected for longer than {@code forgetAfter}; returns their ids. */
    public List<String> prune() {
        long forgetBefore = clock.millis() - forgetAfter.toMillis();
        List<String> gone = new java.util.ArrayList<>();
        members.forEach((id, e) -> {
            if (!e.member.getConnected() && e.member.getLastSeenMillis() < forgetBefore && members.remove(id, e)) {
                gone.add(id);
            }
        });
        return gone;
    }

    private void update(String nodeId, Object session, UnaryOperator<Member> change, boolean publish) {
        Entry[] updated = new Entry[1];
        members.computeIfPresent(nodeId, (id, e) -> {
            if (e.session != session) {
                return e;
            }
            updated[0] = new Entry(session, change.apply(e.member));
            return updated[0];
        });
        if (publish && updated[0] != null) {
            notify(updated[0].member);
        }
    }

    private void notify(Member member) {
        for (Consumer<Member> listener : listeners) {
            listener.accept(member);
        }
        for (Consumer<Member> listener : recordListeners) {
            listener.accept(member);
        }
    }

    private record Entry(Object session, Member member) {
    }
}
