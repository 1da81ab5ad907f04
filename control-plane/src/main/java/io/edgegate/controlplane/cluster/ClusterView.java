package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.Member;
import io.edgegate.controlplane.config.ConfigSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every node of the cluster as this replica sees it: its own nodes first hand, the others
 * from the records replicas share. When both know a node, the record of the replica it is
 * connected to wins. A shared record that says its node is connected to a replica that is no
 * longer alive is read as disconnected since that record was written: the node lost its
 * control plane, and stays listed until it reconnects or is forgotten. Listeners hear the id of
 * every node whose record changed.
 */
public final class ClusterView implements MemberBackend.MemberListener {

    private final MemberRegistry local;
    private final ConcurrentMap<String, Member> shared = new ConcurrentHashMap<>();
    private volatile Set<String> aliveReplicas = Set.of();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public ClusterView(MemberRegistry local) {
        this.local = local;
        local.subscribe(m -> changed(m.getNodeId()));
    }

    public void subscribe(Consumer<String> listener) {
        listeners.add(listener);
    }

    public void unsubscribe(Consumer<String> listener) {
        listeners.remove(listener);
    }

    /** Every node, with its state against the store's version, sorted by id. */
    public List<Member> members(ConfigSnapshot store) {
        List<Member> records = records();
        List<Member> out = new ArrayList<>(records.size());
        for (Member m : records) {
            out.add(MemberStates.withState(m, store));
        }
        return out;
    }

    /** Every node as recorded, sorted by id, without its state: no copy of each record (a wait reads them all per change). */
    List<Member> records() {
        Set<String> ids = new HashSet<>(shared.keySet());
        local.all().forEach(m -> ids.add(m.getNodeId()));
        List<Member> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            member(id).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(Member::getNodeId));
        return out;
    }

    public Optional<Member> member(String nodeId) {
        Member mine = local.get(nodeId).orElse(null);
        if (mine != null && mine.getConnected()) {
            // The common case, asked on every ACK: the shared record (and the copy liveness may make of it) is not needed.
            return Optional.of(mine);
        }
        Member theirs = liveness(shared.get(nodeId));
        if (theirs != null && theirs.getConnected()) {
            return Optional.of(theirs);
        }
        if (mine == null || theirs == null) {
            return Optional.ofNullable(mine != null ? mine : theirs);
        }
        return Optional.of(mine.getLastSeenMillis() >= theirs.getLastSeenMillis() ? mine : theirs);
    }

    /** The shared record of a node, as replicas published it (connected only if its replica is alive). */
    Optional<Member> shared(String nodeId) {
        return Optional.ofNullable(liveness(shared.get(nodeId)));
    }

    /** Shared records that say their node is connected to {@code replica}, as written. */
    List<Member> claimsOf(String replica) {
        return shared.values().stream().filter(m -> m.getConnected() && m.getControlPlane().equals(replica)).toList();
    }

    /** Every shared record, read with its replica's liveness. */
    List<Member> sharedRecords() {
        return shared.values().stream().map(this::liveness).toList();
    }

    /**
     * A record claiming a connection to a replica that is gone is a node that lost its control
     * plane. For this replica's own nodes the local registry is the truth, so a shared record
     * naming this replica (left by an earlier run of it) counts as disconnected.
     */
    private Member liveness(Member record) {
        if (record == null || !record.getConnected()) {
            return record;
        }
        String replica = record.getControlPlane();
        if (!replica.equals(local.self()) && aliveReplicas.contains(replica)) {
            return record;
        }
        return record.toBuilder().setConnected(false).setControlPlane("").build();
    }

    @Override
    public void replicas(Set<String> alive) {
        Set<String> before = aliveReplicas;
        aliveReplicas = Set.copyOf(alive);
        // Nodes whose replica came or went changed state.
        shared.values().stream()
                .filter(m -> before.contains(m.getControlPlane()) != alive.contains(m.getControlPlane()))
                .map(Member::getNodeId)
                .forEach(this::changed);
    }

    @Override
    public void reset(List<Member> members) {
        Map<String, Member> next = new HashMap<>();
        members.forEach(m -> next.put(m.getNodeId(), m));
        Set<String> touched = new HashSet<>(shared.keySet());
        touched.addAll(next.keySet());
        // Replaced in place, never emptied first: a reader meanwhile (another follower's thread) must not see
        // a node vanish and come back, which would tell the console and egctl watch it connected anew.
        shared.putAll(next);
        shared.keySet().retainAll(next.keySet());
        touched.forEach(this::changed);
    }

    @Override
    public void upserted(Member member) {
        shared.put(member.getNodeId(), member);
        // A node connected here is answered from the local registry, which told the listeners already:
        // its shared record (mostly this replica's own, coming back once per ACK) changes nothing they see.
        if (!local.get(member.getNodeId()).map(Member::getConnected).orElse(false)) {
            changed(member.getNodeId());
        }
    }

    @Override
    public void removed(String nodeId) {
        shared.remove(nodeId);
        // Forgotten through another replica (or past its retention): what this one still knows of the node from
        // its last connection here goes too, or it would stay listed here and fail every wait as "not reached".
        // A node connected here keeps its entry, and its record comes back with its next change.
        local.forget(nodeId);
        changed(nodeId);
    }

    private void changed(String nodeId) {
        for (Consumer<String> listener : listeners) {
            listener.accept(nodeId);
        }
    }
}
