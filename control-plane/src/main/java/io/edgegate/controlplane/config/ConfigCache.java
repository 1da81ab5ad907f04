package io.edgegate.controlplane.config;

import io.edgegate.controlplane.store.Store;
import io.edgegate.controlplane.store.StoreChange;
import io.edgegate.controlplane.store.StoreListener;
import io.edgegate.controlplane.store.StoreSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's view of the store: loaded once, then kept current by a watch, and
 * reloaded whole when the watch is lost. Listeners are told of every new snapshot; the
 * snapshot itself is immutable and swapped atomically.
 */
public final class ConfigCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigCache.class);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);
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
    private AutoCloseable watch;
    private long generation;
    private volatile boolean closed;

    public ConfigCache(Store store, ScheduledExecutorService scheduler, Clock clock) {
        this.store = store;
        this.reloads = scheduler;
        this.clock = clock;
    }

    public void start() {
        reload(Duration.ZERO);
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

    /** When this replica first saw {@code revision} (its clock), for recent revisions. */
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

    private void reload(Duration delay) {
        if (closed) {
            return;
        }
        reloads.schedule(() -> store.loadAll().whenComplete((snapshot, error) -> {
            if (error != null) {
                Duration next = delay.isZero() ? Duration.ofMillis(200) : min(delay.multipliedBy(2), MAX_RETRY);
                log.warn("cannot load config from {} (retrying in {} ms): {}", store.describe(), next.toMillis(), error.getMessage());
                reload(next);
            } else {
                loaded(snapshot);
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void loaded(StoreSnapshot snapshot) {
        long watchGeneration;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closeWatch();
            watchGeneration = ++generation;
            ConfigSnapshot previous = current.get();
            // A reload never goes back in time: a snapshot older than what we have is ignored.
            if (snapshot.revision() >= previous.revision()) {
                current.set(ConfigSnapshot.of(snapshot));
                remember(snapshot.revision());
            }
            watch = store.watch(current.get().revision(), new GenerationListener(watchGeneration));
        }
        log.info("config loaded at revision {} ({} objects)", current.get().revision(), current.get().objects().size());
        firstLoad.complete(null);
        publish();
    }

    private void changed(long watchGeneration, StoreChange change) {
        synchronized (lock) {
            if (watchGeneration != generation || change.revision() <= current.get().revision()) {
                return;
            }
            current.set(current.get().apply(change));
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
            reload(Duration.ofMillis(200));
        }
    }
}
