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
 * disconnected is only written as such if no other replica has claimed it since.
 */
public final class MemberPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MemberPublisher.class);

    private final MemberRegistry local;
    private final ClusterView view;
    private final MemberBackend backend;
    private final ScheduledExecutorService scheduler;
    private final Duration flushEvery;
    private final Duration refreshEvery;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private volatile long leaseGeneration = -1;
    private volatile boolean failing;

    public MemberPublisher(MemberRegistry local, ClusterView view, MemberBackend backend,
                           ScheduledExecutorService scheduler, Duration flushEvery, Duration refreshEvery) {
        this.local = local;
        this.view = view;
        this.backend = backend;
        this.scheduler = scheduler;
        this.flushEvery = flushEvery;
        this.refreshEvery = refreshEvery;
    }

    public void start() {
        local.subscribe(m -> dirty.add(m.getNodeId()));
        scheduler.scheduleWithFixedDelay(this::flush, flushEvery.toMillis(), flushEvery.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::refresh, refreshEvery.toMillis(), refreshEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        local.all().stream().filter(Member::getConnected).forEach(m -> dirty.add(m.getNodeId()));
        for (String gone : local.prune()) {
            view.shared(gone).filter(m -> !m.getConnected()).ifPresent(m -> backend.remove(gone));
        }
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
            if (leaseGeneration != -1 && generation != leaseGeneration) {
                // A new lease: records written under the old one are gone or going; write them all again.
                local.all().forEach(m -> dirty.add(m.getNodeId()));
            }
            leaseGeneration = generation;
        });
    }

    @Override
    public void close() {
        backend.close();
    }
}
