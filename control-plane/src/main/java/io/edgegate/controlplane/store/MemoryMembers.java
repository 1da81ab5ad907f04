package io.edgegate.controlplane.store;

import io.edgegate.api.v1.Member;
import io.edgegate.controlplane.cluster.MemberBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Member records in this process's memory, for a control plane on a {@link MemoryStore}: one
 * replica, alive from its first announcement; listeners hear of changes on their own thread, as
 * they would from etcd.
 */
public final class MemoryMembers implements MemberBackend {

    private final String self;
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "memory-members-watch");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Member> records = new TreeMap<>();
    private final List<MemberListener> listeners = new ArrayList<>();
    private boolean announced;

    public MemoryMembers(String self) {
        this.self = self;
    }

    @Override
    public synchronized CompletableFuture<Long> publish(List<Member> members) {
        List<MemberListener> watching = List.copyOf(listeners);
        for (Member member : members) {
            records.put(member.getNodeId(), member);
            events.execute(() -> watching.forEach(listener -> listener.upserted(member)));
        }
        return CompletableFuture.completedFuture(1L);
    }

    @Override
    public synchronized CompletableFuture<Void> remove(String nodeId) {
        if (records.remove(nodeId) != null) {
            List<MemberListener> watching = List.copyOf(listeners);
            events.execute(() -> watching.forEach(listener -> listener.removed(nodeId)));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Long> announce() {
        if (!announced) {
            announced = true;
            List<MemberListener> watching = List.copyOf(listeners);
            events.execute(() -> watching.forEach(listener -> listener.replicas(Set.of(self))));
        }
        return CompletableFuture.completedFuture(1L);
    }

    @Override
    public synchronized AutoCloseable watch(MemberListener listener) {
        listeners.add(listener);
        List<Member> all = List.copyOf(records.values());
        Set<String> alive = announced ? Set.of(self) : Set.of();
        events.execute(() -> {
            listener.reset(all);
            listener.replicas(alive);
        });
        return () -> {
            synchronized (this) {
                listeners.remove(listener);
            }
        };
    }

    @Override
    public void close() {
        events.shutdownNow();
    }
}
