package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.Member;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every node of the cluster as this replica sees it: its own nodes first hand, the others
 * from the records replicas share. When both know a node, the record of the replica it is
 * connected to wins. Listeners hear the id of every node whose record changed.
 */
public final class ClusterView implements MemberBackend.MemberListener {

    private final MemberRegistry local;
    private final ConcurrentMap<String, Member> shared = new ConcurrentHashMap<>();
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

    /** Every node, with its state against {@code storeRevision}, sorted by id. */
    public List<Member> members(long storeRevision) {
        Set<String> ids = new HashSet<>(shared.keySet());
        local.all().forEach(m -> ids.add(m.getNodeId()));
        List<Member> out = new ArrayList<>();
        for (String id : ids) {
            member(id).ifPresent(m -> out.add(MemberStates.withState(m, storeRevision)));
        }
        out.sort(Comparator.comparing(Member::getNodeId));
        return out;
    }

    public Optional<Member> member(String nodeId) {
        Member mine = local.get(nodeId).orElse(null);
        Member theirs = shared.get(nodeId);
        if (mine != null && mine.getConnected()) {
            return Optional.of(mine);
        }
        if (theirs != null && theirs.getConnected()) {
            return Optional.of(theirs);
        }
        if (mine == null || theirs == null) {
            return Optional.ofNullable(mine != null ? mine : theirs);
        }
        return Optional.of(mine.getLastSeenMillis() >= theirs.getLastSeenMillis() ? mine : theirs);
    }

    /** The shared record of a node, as replicas published it. */
    Optional<Member> shared(String nodeId) {
        return Optional.ofNullable(shared.get(nodeId));
    }

    @Override
    public void reset(List<Member> members) {
        Set<String> touched = new HashSet<>(shared.keySet());
        shared.clear();
        for (Member m : members) {
            shared.put(m.getNodeId(), m);
            touched.add(m.getNodeId());
        }
        touched.forEach(this::changed);
    }

    @Override
    public void upserted(Member member) {
        shared.put(member.getNodeId(), member);
        changed(member.getNodeId());
    }

    @Override
    public void removed(String nodeId) {
        shared.remove(nodeId);
        changed(nodeId);
    }

    private void changed(String nodeId) {
        for (Consumer<String> listener : listeners) {
            listener.accept(nodeId);
        }
    }
}
