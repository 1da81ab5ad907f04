package io.edgegate.controlplane.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.edgegate.api.v1.Member;
import io.edgegate.controlplane.cluster.MemberBackend;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Member records in etcd under {@code /edgegate/members/<node>} as JSON, kept when their
 * replica dies so a node that lost its control plane stays listed (as Disconnected: the view
 * checks its replica is alive). Each replica is alive while its key
 * {@code /edgegate/replicas/<replica>} exists, written under its lease (kept alive while the
 * replica lives, revoked when it stops).
 */
public final class EtcdMemberBackend implements MemberBackend {

    private static final Logger log = LoggerFactory.getLogger(EtcdMemberBackend.class);
    static final String PREFIX = "/edgegate/members/";
    static final String REPLICAS = "/edgegate/replicas/";
    private static final int OPS_PER_TXN = 100;

    private final Client client;
    private final String self;
    private final Duration ttl;
    private final Duration timeout;
    private final ScheduledExecutorService scheduler;
    private final List<PrefixFollower> followers = new ArrayList<>();
    private CompletableFuture<Long> lease;
    /** The lease this replica's alive key was last written under. */
    private long announcedLease;
    private long generation;
    private CloseableClient keepAlive;
    private volatile boolean closed;
    /**
     * The record this replica last wrote for each node: when the watch brings it back (every ACK
     * of every node comes back once), the Member it was written from is used, not read again.
     */
    private final Map<String, Written> written = new ConcurrentHashMap<>();

    private record Written(ByteSequence value, Member member) {
    }

    public EtcdMemberBackend(Client client, String self, Duration ttl, Duration timeout, ScheduledExecutorService scheduler) {
        this.client = client;
        this.self = self;
        this.ttl = ttl;
        this.timeout = timeout;
        this.scheduler = scheduler;
    }

    @Override
    public CompletableFuture<Long> publish(List<Member> members) {
        List<CompletableFuture<?>> txns = new ArrayList<>();
        for (int from = 0; from < members.size(); from += OPS_PER_TXN) {
            List<Member> chunk = members.subList(from, Math.min(members.size(), from + OPS_PER_TXN));
            Op[] puts = new Op[chunk.size()];
            for (int i = 0; i < puts.length; i++) {
                Member m = chunk.get(i);
                ByteSequence value = ByteSequence.from(MemberRecords.write(m));
                written.put(m.getNodeId(), new Written(value, m));
                puts[i] = Op.put(key(m.getNodeId()), value, PutOption.DEFAULT);
            }
            txns.add(client.getKVClient().txn().Then(puts).commit());
        }
        return timed(CompletableFuture.allOf(txns.toArray(CompletableFuture[]::new))).thenCompose(ok -> announce());
    }

    @Override
    public CompletableFuture<Void> remove(String nodeId) {
        written.remove(nodeId);
        return timed(client.getKVClient().delete(key(nodeId))).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Long> announce() {
        return lease().thenCompose(leaseId -> {
            long usedGeneration = currentGeneration();
            synchronized (this) {
                if (announcedLease == leaseId) {
                    return CompletableFuture.completedFuture(usedGeneration);
                }
            }
            return timed(client.getKVClient().put(ByteSequence.from(REPLICAS + self, UTF_8), ByteSequence.from(self, UTF_8),
                    PutOption.builder().withLeaseId(leaseId).build()))
                    .whenComplete((ok, error) -> {
                        if (error != null) {
                            // The lease may be gone (etcd restarted, replica paused past the TTL): get a new one next time.
                            invalidate(leaseId);
                        } else {
                            synchronized (this) {
                                announcedLease = leaseId;
                            }
                        }
                    })
                    .thenApply(ok -> usedGeneration);
        });
    }

    @Override
    public AutoCloseable watch(MemberListener listener) {
        PrefixFollower members = new PrefixFollower(PREFIX,
                all -> listener.reset(all.stream().map(this::parse).filter(java.util.Objects::nonNull).toList()),
                kv -> {
                    Member m = parse(kv);
                    if (m != null) {
                        listener.upserted(m);
                    }
                },
                nodeId -> {
                    // Deleted by whichever replica's retention came first: this one's copy goes too.
                    written.remove(nodeId);
                    listener.removed(nodeId);
                });
        Set<String> alive = new HashSet<>();
        PrefixFollower replicas = new PrefixFollower(REPLICAS,
                all -> {
                    synchronized (alive) {
                        alive.clear();
                        all.forEach(kv -> alive.add(kv.getKey().toString(UTF_8).substring(REPLICAS.length())));
                        listener.replicas(Set.copyOf(alive));
                    }
                },
                kv -> {
                    synchronized (alive) {
                        alive.add(kv.getKey().toString(UTF_8).substring(REPLICAS.length()));
                        listener.replicas(Set.copyOf(alive));
                    }
                },
                replica -> {
                    synchronized (alive) {
                        alive.remove(replica);
                        listener.replicas(Set.copyOf(alive));
                    }
                });
        synchronized (followers) {
            followers.add(members);
            followers.add(replicas);
        }
        members.load(0);
        replicas.load(0);
        return () -> {
            members.close();
            replicas.close();
        };
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<Long> current;
        synchronized (this) {
            current = lease;
            if (keepAlive != null) {
                keepAlive.close();
            }
        }
        // Revoking the lease removes this replica's alive key at once: its nodes show as disconnected.
        if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
            try {
                client.getLeaseClient().revoke(current.join()).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("revoking member lease", e);
            }
        }
    }

    private synchronized CompletableFuture<Long> lease() {
        if (lease != null && !lease.isCompletedExceptionally()) {
            return lease;
        }
        CompletableFuture<Long> granted = timed(client.getLeaseClient().grant(ttl.toSeconds())).thenApply(r -> r.getID());
        lease = granted;
        granted.whenComplete((id, error) -> {
            if (error == null) {
                keepAlive(id);
            }
        });
        return granted;
    }

    private synchronized void keepAlive(long leaseId) {
        generation++;
        if (keepAlive != null) {
            keepAlive.close();
        }
        keepAlive = client.getLeaseClient().keepAlive(leaseId, new StreamObserver<LeaseKeepAliveResponse>() {
            @Override
            public void onNext(LeaseKeepAliveResponse response) {
                if (response.getTTL() <= 0) {
                    invalidate(leaseId);
                }
            }

            @Override
            public void onError(Throwable t) {
                invalidate(leaseId);
            }

            @Override
            public void onCompleted() {
                invalidate(leaseId);
            }
        });
    }

    private synchronized long currentGeneration() {
        return generation;
    }

    private synchronized void invalidate(long leaseId) {
        if (lease != null && lease.isDone() && !lease.isCompletedExceptionally() && lease.join() == leaseId) {
            lease = null;
        }
    }

    private Member parse(KeyValue kv) {
        Written mine = written.get(kv.getKey().toString(UTF_8).substring(PREFIX.length()));
        if (mine != null && mine.value().equals(kv.getValue())) {
            return mine.member();
        }
        try {
            return MemberRecords.read(kv.getValue().getBytes());
        } catch (IOException e) {
            log.warn("ignoring unreadable member record {}: {}", kv.getKey().toString(UTF_8), e.getMessage());
            return null;
        }
    }

    private static ByteSequence key(String nodeId) {
        return ByteSequence.from(PREFIX + nodeId, UTF_8);
    }

    private <T> CompletableFuture<T> timed(CompletableFuture<T> call) {
        return call.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Loads every key under a prefix, then follows changes; reloads after the watch is lost. */
    private final class PrefixFollower {

        private final String prefix;
        private final Consumer<List<KeyValue>> onLoad;
        private final Consumer<KeyValue> onPut;
        private final Consumer<String> onDelete;
        private Watch.Watcher watcher;
        private long attempt;

        PrefixFollower(String prefix, Consumer<List<KeyValue>> onLoad, Consumer<KeyValue> onPut, Consumer<String> onDelete) {
            this.prefix = prefix;
            this.onLoad = onLoad;
            this.onPut = onPut;
            this.onDelete = onDelete;
        }

        void load(long delayMillis) {
            if (closed) {
                return;
            }
            scheduler.schedule(() -> timed(client.getKVClient().get(ByteSequence.from(prefix, UTF_8),
                    GetOption.builder().isPrefix(true).build())).whenComplete((response, error) -> {
                        if (error != null) {
                            retry();
                            return;
                        }
                        attempt = 0;
                        onLoad.accept(response.getKvs());
                        follow(response.getHeader().getRevision());
                    }), delayMillis, TimeUnit.MILLISECONDS);
        }

        private synchronized void follow(long revision) {
            if (closed) {
                return;
            }
            if (watcher != null) {
                watcher.close();
            }
            WatchOption option = WatchOption.builder().isPrefix(true).withRevision(revision + 1).build();
            watcher = client.getWatchClient().watch(ByteSequence.from(prefix, UTF_8), option, Watch.listener(
                    response -> {
                        for (WatchEvent event : response.getEvents()) {
                            String name = event.getKeyValue().getKey().toString(UTF_8).substring(prefix.length());
                            if (event.getEventType() == WatchEvent.EventType.DELETE) {
                                onDelete.accept(name);
                            } else {
                                onPut.accept(event.getKeyValue());
                            }
                        }
                    },
                    error -> retry()));
        }

        /** A watch of a store whose history went back would silently wait; the owner reloads on such news. */
        void reload() {
            load(0);
        }

        private void retry() {
            if (closed) {
                return;
            }
            attempt++;
            load(Math.min(2000, 100L << Math.min(attempt, 5)));
        }

        synchronized void close() {
            if (watcher != null) {
                watcher.close();
            }
        }
    }

    /**
     * Reloads every followed prefix: after the store's history changed, a watch would wait for
     * revisions that may never come.
     */
    public void reloadAll() {
        synchronized (followers) {
            followers.forEach(PrefixFollower::reload);
        }
    }
}
