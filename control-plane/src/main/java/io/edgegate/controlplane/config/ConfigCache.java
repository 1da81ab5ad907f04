package io.edgegate.controlplane.config;

import io.edgegate.controlplane.store.Epoch;
import io.edgegate.controlplane.store.EpochMarker;
import io.edgegate.controlplane.store.Store;
import io.edgegate.controlplane.store.StoreChange;
import io.edgegate.controlplane.store.StoreListener;
import io.edgegate.controlplane.store.StoreProbe;
import io.edgegate.controlplane.store.StoreSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's view of the store: loaded once, then kept current by a watch, and
 * reloaded whole when the watch is lost. Listeners are told of every new snapshot; the
 * snapshot itself is immutable and swapped atomically.
 *
 * <p>It also keeps the store's history honest. A watch does not notice a store whose history
 * changed under it (etcd restored from a backup answers at lower revisions, and a watch simply
 * waits for the old numbers to come round again), so the store is probed every second: a
 * revision or a newest config change lower than one already seen, another etcd cluster, or an
 * epoch marker that changed or is gone makes the cache reload, and {@link EpochDecision} tells whether that starts a new
 * {@link Epoch}. A new epoch is written to the store first (guarded, so replicas agree on one),
 * then adopted by every replica; nodes are then sent a full snapshot of it.
 */
public final class ConfigCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigCache.class);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    private static final Duration EPOCH_WAIT = Duration.ofSeconds(10);
    private static final int REMEMBERED_REVISIONS = 4096;

    private final Store store;
    private final AtomicReference<ConfigSnapshot> current = new AtomicReference<>(ConfigSnapshot.EMPTY);
    private final Set<Consumer<ConfigSnapshot>> listeners = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService reloads;
    private final Clock clock;
    private final Map<Long, Long> seenAt = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > REMEMBERED_REVISIONS;
        }
    };
    private final CompletableFuture<Void> firstLoad = new CompletableFuture<>();
    private final Object lock = new Object();
    private final AtomicBoolean reloadPending = new AtomicBoolean();
    /** Writes that landed in a history older than the one seen: they wait for the new epoch. */
    private final List<CompletableFuture<Epoch>> epochWaiters = new ArrayList<>();
    private AutoCloseable watch;
    private long generation;
    /** The highest store revision seen in the current epoch: a lower one later means the history went back. */
    private long highestRevision;
    private long clusterId;
    private long markerRevision;
    /**
     * The highest revision of the store's config head seen in the current epoch (in loads, probes
     * and this replica's own writes): it only moves forward in one history. Watch events do not
     * count: a change written around the control plane does not move the head.
     */
    private long headRevision;
    private volatile boolean closed;
    /** Whether the last load or probe of the store answered (a metric; the cache serves on regardless). */
    private volatile boolean storeReachable;

    public ConfigCache(Store store, ScheduledExecutorService scheduler, Clock clock) {
        this.store = store;
        this.reloads = scheduler;
        this.clock = clock;
    }

    public void start() {
        reloadPending.set(true);
        reload(Duration.ZERO);
        reloads.scheduleWithFixedDelay(this::probe, PROBE_EVERY.toMillis(), PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes once the first snapshot is loaded; until then nothing is sent to data planes. */
    public CompletableFuture<Void> ready() {
        return firstLoad;
    }

    public boolean isReady() {
        return firstLoad.isDone();
    }

    public ConfigSnapshot current() {
        return current.get();
    }

    /** When this replica first saw {@code revision} of the current epoch (its clock), for recent revisions. */
    public OptionalLong seenAt(long revision) {
        synchronized (seenAt) {
            Long at = seenAt.get(revision);
            return at == null ? OptionalLong.empty() : OptionalLong.of(at);
        }
    }

    private void remember(long revision) {
        synchronized (seenAt) {
            seenAt.putIfAbsent(revision, clock.millis());
        }
    }

    public void subscribe(Consumer<ConfigSnapshot> listener) {
        listeners.add(listener);
    }

    public void unsubscribe(Consumer<ConfigSnapshot> listener) {
        listeners.remove(listener);
    }

    /**
     * The lowest revision a store request issued now may answer at, in this history: the highest
     * seen so far. A request must capture it before it is sent; an answer below it means the
     * history went back (an answer compared with the highest seen when it arrives could have
     * been overtaken by a watch event in between).
     */
    public long revisionFloor() {
        synchronized (lock) {
            return highestRevision;
        }
    }

    /**
     * The epoch a write committed at {@code revision} belongs to, for a write issued when the
     * floor was {@code floor} ({@link #revisionFloor()}). Normally the current one; a revision
     * below the floor was written into a history that went back, so the answer waits for the
     * new epoch that history gets.
     */
    public CompletableFuture<Epoch> epochOfWrite(long revision, long floor) {
        CompletableFuture<Epoch> epoch = new CompletableFuture<>();
        synchronized (lock) {
            if (revision >= floor || !isReady()) {
                headRevision = Math.max(headRevision, revision);
                return CompletableFuture.completedFuture(current.get().epoch());
            }
            epochWaiters.add(epoch);
        }
        log.warn("a write landed at revision {} below revision {} seen before: the store's history went back", revision, floor);
        requestReload();
        return epoch.orTimeout(EPOCH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A node reports it runs {@code revision} of epoch {@code epochId}. If that is the current
     * epoch and the store has not reached that revision, the store's history went back (a
     * restored backup while this replica was not running to see the higher revisions).
     */
    public void nodeReports(String epochId, long revision) {
        ConfigSnapshot snapshot = current.get();
        if (!isReady() || !snapshot.epoch().id().equals(epochId) || revision <= snapshot.revision()) {
            return;
        }
        store.probe().thenAccept(probe -> {
            boolean rewound = probe.revision() < revision
                    && probe.marker().map(m -> m.epoch().id().equals(epochId)).orElse(false);
            if (rewound) {
                synchronized (lock) {
                    highestRevision = Math.max(highestRevision, revision);
                }
                log.warn("a node runs revision {} of epoch {}, but the store is at revision {}: its history went back",
                        revision, epochId, probe.revision());
                requestReload();
            }
        });
    }

    /**
     * Marks the current epoch accepted: nodes held on a config of an earlier epoch (because this
     * one started with an empty store) follow it. Completes with the epoch as it is then.
     */
    public CompletableFuture<Epoch> accept() {
        Epoch epoch;
        long guard;
        synchronized (lock) {
            epoch = current.get().epoch();
            guard = markerRevision;
        }
        if (!epoch.holdsEarlierConfigs()) {
            return CompletableFuture.completedFuture(epoch);
        }
        Epoch accepted = epoch.acceptedByOperator();
        return store.markEpoch(accepted, guard).thenApply(written -> {
            if (!written) {
                throw new IllegalStateException("the store's epoch changed meanwhile; look at it again (egctl get members)");
            }
            log.warn("epoch {} accepted: nodes that kept an earlier config now follow the store", epoch.id());
            requestReload();
            return accepted;
        });
    }

    private void probe() {
        if (closed || !isReady()) {
            return;
        }
        long floor;
        long headFloor;
        synchronized (lock) {
            floor = highestRevision;
            headFloor = headRevision;
        }
        store.probe().whenComplete((probe, error) -> {
            storeReachable = error == null;
            if (error == null) {
                probed(probe, floor, headFloor);
            }
        });
    }

    /** Whether the store answered the last time it was asked (within a second while the cache is ready). */
    public boolean storeReachable() {
        return storeReachable;
    }

    private void probed(StoreProbe probe, long floor, long headFloor) {
        boolean changed;
        synchronized (lock) {
            changed = probe.revision() < floor
                    || probe.headRevision() < headFloor
                    || (clusterId != 0 && probe.clusterId() != clusterId)
                    || probe.marker().map(EpochMarker::modRevision).orElse(0L) != markerRevision;
            if (!changed) {
                headRevision = Math.max(headRevision, probe.headRevision());
            }
        }
        if (changed) {
            requestReload();
        }
    }

    private void requestReload() {
        if (reloadPending.compareAndSet(false, true)) {
            reload(Duration.ZERO);
        }
    }

    private void reload(Duration delay) {
        if (closed) {
            return;
        }
        reloads.schedule(() -> {
            long floor;
            long headFloor;
            synchronized (lock) {
                floor = highestRevision;
                headFloor = headRevision;
            }
            store.loadAll().whenComplete((snapshot, error) -> {
                if (error != null) {
                    Duration next = delay.isZero() ? Duration.ofMillis(200) : min(delay.multipliedBy(2), MAX_RETRY);
                    log.warn("cannot load config from {} (retrying in {} ms): {}", store.describe(), next.toMillis(), error.getMessage());
                    reload(next);
                } else {
                    loaded(snapshot, floor, headFloor);
                }
            });
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A snapshot loaded by a request issued when the highest revision and config head seen were the floors given. */
    private void loaded(StoreSnapshot snapshot, long floor, long headFloor) {
        storeReachable = true;
        long watchGeneration;
        EpochDecision decision;
        List<CompletableFuture<Epoch>> waiting = List.of();
        boolean newEpoch;
        synchronized (lock) {
            if (closed) {
                return;
            }
            ConfigSnapshot previous = current.get();
            decision = EpochDecision.of(previous.epoch(), clusterId, floor, headFloor, snapshot);
            if (decision.startsNewEpoch()) {
                closeWatch();
                ++generation;
            } else {
                closeWatch();
                watchGeneration = ++generation;
                Epoch epoch = snapshot.marker().orElseThrow().epoch();
                newEpoch = !epoch.id().equals(previous.epoch().id());
                if (newEpoch) {
                    current.set(ConfigSnapshot.of(epoch, snapshot));
                    highestRevision = snapshot.revision();
                    headRevision = snapshot.headRevision();
                    synchronized (seenAt) {
                        seenAt.clear();
                    }
                } else {
                    // Never back in time: a watch event may have been applied while this load was on its way.
                    if (snapshot.configRevision() >= previous.revision()) {
                        current.set(ConfigSnapshot.of(epoch, snapshot));
                    } else {
                        current.set(new ConfigSnapshot(epoch, previous.revision(), previous.objects()));
                    }
                    highestRevision = Math.max(highestRevision, snapshot.revision());
                    headRevision = Math.max(headRevision, snapshot.headRevision());
                }
                // Writes that waited for a new epoch learn theirs; with none, the store's history held.
                waiting = List.copyOf(epochWaiters);
                epochWaiters.clear();
                clusterId = snapshot.clusterId();
                markerRevision = snapshot.marker().get().modRevision();
                remember(current.get().revision());
                // From what the load read, whose revision may be past the newest config change (member records).
                watch = store.watch(Math.max(snapshot.revision(), current.get().revision()), new GenerationListener(watchGeneration));
                reloadPending.set(false);
                if (newEpoch && previous.epoch() != ConfigSnapshot.NO_EPOCH) {
                    log.warn("THE STORE'S HISTORY CHANGED: epoch {} started ({}); every node is sent a full snapshot of "
                            + "revision {} ({} objects)", epoch.id(), epoch.reason(), current.get().revision(), snapshot.objects().size());
                } else {
                    log.info("config loaded at revision {} of epoch {} ({} objects)", current.get().revision(), epoch.id(),
                            snapshot.objects().size());
                }
            }
        }
        if (decision.startsNewEpoch()) {
            startEpoch(decision);
            return;
        }
        Epoch epoch = current.get().epoch();
        waiting.forEach(w -> w.complete(epoch));
        firstLoad.complete(null);
        publish();
    }

    /** Writes the new epoch to the store (guarded: one replica wins), then reloads to adopt whichever epoch won. */
    private void startEpoch(EpochDecision decision) {
        Epoch epoch = Epoch.start(clock.millis(), decision.after(), decision.reason(), decision.storeEmpty());
        store.markEpoch(epoch, decision.expectedMarkerRevision()).whenComplete((written, error) -> {
            if (error != null) {
                log.warn("cannot write the new epoch to {} (retrying): {}", store.describe(), error.getMessage());
                reload(Duration.ofMillis(200));
            } else {
                if (written && decision.after() == null) {
                    log.info("starting epoch {} ({})", epoch.id(), decision.reason());
                } else if (written) {
                    log.warn("the store's history changed ({}): starting epoch {}", decision.reason(), epoch.id());
                }
                reload(Duration.ZERO);
            }
        });
    }

    private void changed(long watchGeneration, StoreChange change) {
        synchronized (lock) {
            if (watchGeneration != generation || change.revision() <= current.get().revision()) {
                return;
            }
            // An event of the live watch is etcd answering now: a write just made through it must not be followed by a
            // "does not reach etcd" until the next probe (up to a second later).
            storeReachable = true;
            current.set(current.get().apply(change));
            highestRevision = Math.max(highestRevision, change.revision());
            remember(change.revision());
        }
        publish();
    }

    private void publish() {
        ConfigSnapshot snapshot = current.get();
        for (Consumer<ConfigSnapshot> listener : listeners) {
            try {
                listener.accept(snapshot);
            } catch (RuntimeException e) {
                log.warn("config listener failed", e);
            }
        }
    }

    private void closeWatch() {
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                log.debug("closing watch", e);
            }
            watch = null;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            closeWatch();
        }
    }

    /** Ignores events of a watch that a reload has replaced. */
    private final class GenerationListener implements StoreListener {

        private final long watchGeneration;

        GenerationListener(long watchGeneration) {
            this.watchGeneration = watchGeneration;
        }

        @Override
        public void onChange(StoreChange change) {
            changed(watchGeneration, change);
        }

        @Override
        public void onWatchLost(Throwable cause) {
            synchronized (lock) {
                if (watchGeneration != generation) {
                    return;
                }
            }
            // E.g. compacted past what it needs: the full state is reloaded; the history itself is intact.
            requestReload();
        }
    }
}
