package io.edgegate.controlplane.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.GetOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps etcd's history from growing without end. etcd keeps every version of every key until its
 * history is compacted, and refuses every write once its database reaches its quota (2 GiB by
 * default). Member records alone are rewritten for each ACK and every 10 s for each connected node:
 * ~600 bytes a node, so a thousand nodes would fill the quota within a day, and three in months.
 *
 * <p>Each interval this replica compacts to the revision it saw one interval before, as Kubernetes'
 * API server does: at least one interval of history stays, so a watch that lost its stream for less
 * than that resumes where it was, and one gone longer reloads, as after any compaction. Replicas do not
 * coordinate: a compaction to a revision another one already passed changes nothing. An etcd whose
 * history went back (a restored backup) is only looked at again, never compacted past what it holds.
 */
public final class HistoryCompactor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HistoryCompactor.class);
    private static final ByteSequence ANY_KEY = ByteSequence.from(EtcdStore.PREFIX, UTF_8);
    private static final GetOption REVISION_ONLY = GetOption.builder().withCountOnly(true).build();

    private final KV kv;
    private final Duration timeout;
    private final ScheduledFuture<?> ticks;
    /** A tick still waiting for etcd: the next one is skipped rather than piled up behind it. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The store's revision at the last tick, compacted to at the next one (0: none seen yet). */
    private volatile long seenAtLastTick;
    private volatile long compacted;
    private volatile boolean failing;

    private HistoryCompactor(KV kv, Duration interval, Duration timeout, ScheduledExecutorService scheduler) {
        this.kv = kv;
        this.timeout = timeout;
        // The first tick only notes the revision: the history of the first interval is kept whole.
        this.ticks = scheduler.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Compacts every {@code interval}; a zero interval leaves the history to etcd (its own {@code --auto-compaction-*}). */
    public static AutoCloseable start(KV kv, Duration interval, Duration timeout, ScheduledExecutorService scheduler) {
        if (interval.isZero()) {
            log.info("etcd's history is not compacted by this control plane (--etcd-compaction-interval 0)");
            return () -> { };
        }
        return new HistoryCompactor(kv, interval, timeout, scheduler);
    }

    /** Never waits on the scheduler's thread: a dead etcd holds up none of its other work. */
    private void tick() {
        if (!busy.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Void> round;
        try {
            round = compactOnce();
        } catch (RuntimeException e) {
            // A client that throws instead of failing its future (closed, say) must not end the schedule,
            // which stops for good at the first exception a tick lets out.
            round = CompletableFuture.failedFuture(e);
        }
        round.whenComplete((ok, error) -> {
            busy.set(false);
            if (error == null || alreadyCompacted(error)) {
                if (failing) {
                    log.info("etcd's history is compacted again");
                    failing = false;
                }
            } else if (!failing) {
                log.warn("cannot compact etcd's history (will try again in the next interval): {}", rootMessage(error));
                failing = true;
            }
        });
    }

    private CompletableFuture<Void> compactOnce() {
        return timed(kv.get(ANY_KEY, REVISION_ONLY)).thenCompose(response -> {
            long now = response.getHeader().getRevision();
            if (now < compacted) {
                compacted = 0; // a restored backup: its own history counts from here
            }
            long target = seenAtLastTick;
            seenAtLastTick = now;
            // Below what was compacted already, or above what the store now holds (its history went back): nothing to do.
            if (target <= compacted || target > now) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            return timed(kv.compact(target)).thenApply(done -> {
                compacted = target;
                log.debug("compacted etcd's history up to revision {}", target);
                return (Void) null;
            });
        });
    }

    /** Another replica (or etcd itself) compacted at or past this revision: the work is done. */
    private static boolean alreadyCompacted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("required revision has been compacted")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    private <T> CompletableFuture<T> timed(CompletableFuture<T> call) {
        return call.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        ticks.cancel(false);
    }
}
