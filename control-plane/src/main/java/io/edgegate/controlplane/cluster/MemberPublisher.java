package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this replica's member records to the shared backend. Changes are batched (one
 * flush every {@code flushEvery}, many records per transaction), so an ACK storm from
 * thousands of nodes costs a few writes; connected nodes are refreshed every
 * {@code refreshEvery} so their last-seen time stays current elsewhere. A node that
 * disconnected is only written as such if no other replica has claimed it since. Records of
 * nodes away for longer than {@code retention} are removed (by any replica); until then a node
 * that lost its control plane stays listed. The replica announces itself alive every second.
 */
public final class MemberPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MemberPublisher.class);

    private final MemberRegistry local;
    private final ClusterView view;
    private final MemberBackend backend;
    private final ScheduledExecutorService scheduler;
    private final Duration flushEvery;
    private final Duration refreshEvery;
    private final Duration retention;
    private final java.time.Clock clock;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private volatile long leaseGeneration = -1;
    private volatile boolean failing;

    public MemberPublisher(MemberRegistry local, ClusterView view, MemberBackend backend, ScheduledExecutorService scheduler,
                           Duration flushEvery, Duration refreshEvery, Duration retention, java.time.Clock clock) {
        this.local = local;
        this.view = view;
        this.backend = backend;
        this.scheduler = scheduler;
        this.flushEvery = flushEvery;
        this.refreshEvery = refreshEvery;
        this.retention = retention;
        this.clock = clock;
    }

    public void start() {
        local.subscribeToRecordChanges(m -> dirty.add(m.getNodeId()));
        scheduler.scheduleWithFixedDelay(this::announce, 0, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::flush, flushEvery.toMillis(), flushEvery.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::refresh, refreshEvery.toMillis(), refreshEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void announce() {
        backend.announce().whenComplete((generation, error) -> {
            if (error == null) {
                leaseChanged(generation);
            }
        });
    }

    private void refresh() {
        local.all().stream().filter(Member::getConnected).forEach(m -> dirty.add(m.getNodeId()));
        // Records that say a node is connected here when it is not (left by an earlier run of this
        // replica, or brought back by a restored etcd) are corrected, so no ghost looks connected.
        List<Member> ghosts = view.claimsOf(local.self()).stream()
                .filter(m -> local.get(m.getNodeId()).map(l -> !l.getConnected()).orElse(true))
                .map(m -> m.toBuilder().setConnected(false).setControlPlane("").build())
                .toList();
        if (!ghosts.isEmpty()) {
            backend.publish(ghosts);
        }
        // This replica's memory of long-gone nodes goes; their shared records stay until the retention ends.
        local.prune();
        long keepAfter = clock.millis() - retention.toMillis();
        for (Member m : view.sharedRecords()) {
            if (!m.getConnected() && m.getLastSeenMillis() < keepAfter && local.get(m.getNodeId()).map(l -> !l.getConnected()).orElse(true)) {
                log.info("forgetting node {}: not seen for more than {}", m.getNodeId(), retention);
                local.forget(m.getNodeId());
                backend.remove(m.getNodeId());
            }
        }
    }

    /** A new lease: the store lost the old one (restarted, or its history changed); write every record again. */
    private void leaseChanged(long generation) {
        if (leaseGeneration != -1 && generation != leaseGeneration) {
            local.all().forEach(m -> dirty.add(m.getNodeId()));
        }
        leaseGeneration = generation;
    }

    private void flush() {
        if (dirty.isEmpty() || !flushing.compareAndSet(false, true)) {
            return;
        }
        List<String> ids = new ArrayList<>(dirty);
        dirty.removeAll(ids);
        List<Member> records = new ArrayList<>();
        for (String id : ids) {
            Optional<Member> mine = local.get(id);
            if (mine.isEmpty()) {
                continue;
            }
            Member m = mine.get();
            boolean claimedElsewhere = view.shared(id)
                    .filter(s -> s.getConnected() && !s.getControlPlane().equals(local.self()))
                    .isPresent();
            if (m.getConnected() || !claimedElsewhere) {
                records.add(m);
            }
        }
        if (records.isEmpty()) {
            flushing.set(false);
            return;
        }
        backend.publish(records).whenComplete((generation, error) -> {
            flushing.set(false);
            if (error != null) {
                dirty.addAll(ids);
                if (!failing) {
                    log.warn("cannot publish member records (will retry): {}", error.getMessage());
                    failing = true;
                }
                return;
            }
            if (failing) {
                log.info("member records published again");
                failing = false;
            }
            leaseChanged(generation);
        });
    }

    @Override
    public void close() {
        backend.close();
    }
}
