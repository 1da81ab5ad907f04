package io.edgegate.dataplane.registry;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.edgegate.spec.registry.EtcdServiceRegistrySpec;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An EtcdServiceRegistry: loads the prefix, then follows it with a watch from the next
 * revision. A light read every third of {@code cacheTimeout} proves etcd is still there (a
 * quiet watch says nothing); when it has not been reached for {@code cacheTimeout}, the first
 * successful read after that reloads the whole prefix. Meanwhile pools keep the instances it
 * last listed, as Easegress does: a registry outage must not empty them.
 */
final class EtcdRegistry implements ServiceRegistry {

    private static final Logger log = LoggerFactory.getLogger(EtcdRegistry.class);

    private final EtcdServiceRegistrySpec spec;
    private final Client client;
    private final ByteSequence prefix;
    private final long staleAfterNanos;
    private final Duration requestTimeout;
    private final ScheduledFuture<?> heartbeat;
    private final Map<String, ServiceInstance> byKey = new HashMap<>();
    private volatile InstanceSnapshot snapshot = InstanceSnapshot.EMPTY;
    private volatile boolean everLoaded;
    /** Last successful contact (System.nanoTime); 0 before the first. */
    private volatile long lastContact;
    private boolean needsReload = true;
    private Watch.Watcher watcher;
    private volatile boolean closed;

    EtcdRegistry(EtcdServiceRegistrySpec spec, ScheduledExecutorService scheduler) {
        this.spec = spec;
        this.client = Client.builder()
                .endpoints(spec.endpoints().toArray(String[]::new))
                .connectTimeout(Duration.ofSeconds(2))
                .waitForReady(false)
                .retryMaxDuration(Duration.ofSeconds(1))
                .build();
        this.prefix = ByteSequence.from(spec.prefix(), UTF_8);
        this.staleAfterNanos = spec.cacheTimeout().toNanos();
        long beatMillis = Math.max(200, spec.cacheTimeout().toMillis() / 3);
        this.requestTimeout = Duration.ofMillis(Math.max(500, beatMillis));
        this.heartbeat = scheduler.scheduleWithFixedDelay(this::beat, 0, beatMillis, TimeUnit.MILLISECONDS);
    }

    /** Reloads the prefix when needed (first time, after losing etcd), else checks etcd answers. */
    private void beat() {
        if (closed) {
            return;
        }
        boolean reload;
        synchronized (this) {
            reload = needsReload;
        }
        GetOption option = reload ? GetOption.builder().isPrefix(true).build()
                : GetOption.builder().isPrefix(true).withKeysOnly(true).withLimit(1).build();
        try {
            var response = client.getKVClient().get(prefix, option).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            lastContact = System.nanoTime();
            if (reload) {
                loaded(response.getKvs(), response.getHeader().getRevision());
            }
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            synchronized (this) {
                if (!needsReload) {
                    log.warn("{}: cannot reach etcd at {}: {}", spec.name(), spec.endpoints(), cause.toString());
                }
                needsReload = true;
            }
        }
    }

    private synchronized void loaded(List<KeyValue> kvs, long revision) {
        byKey.clear();
        for (KeyValue kv : kvs) {
            String key = kv.getKey().toString(UTF_8);
            instance(key, kv.getValue().toString(UTF_8)).ifPresent(i -> byKey.put(key, i));
        }
        publish();
        everLoaded = true;
        needsReload = false;
        if (watcher != null) {
            watcher.close();
        }
        WatchOption option = WatchOption.builder().isPrefix(true).withRevision(revision + 1).build();
        watcher = client.getWatchClient().watch(prefix, option, Watch.listener(response -> changed(response.getEvents()), error -> {
            synchronized (this) {
                if (!needsReload) {
                    log.warn("{}: watch on etcd lost, reloading when it answers: {}", spec.name(), error.toString());
                }
                needsReload = true;
            }
        }));
    }

    private synchronized void changed(List<WatchEvent> events) {
        lastContact = System.nanoTime();
        for (WatchEvent event : events) {
            String key = event.getKeyValue().getKey().toString(UTF_8);
            if (event.getEventType() == WatchEvent.EventType.PUT) {
                Optional<ServiceInstance> instance = instance(key, event.getKeyValue().getValue().toString(UTF_8));
                if (instance.isPresent()) {
                    byKey.put(key, instance.get());
                } else {
                    byKey.remove(key);
                }
            } else if (event.getEventType() == WatchEvent.EventType.DELETE) {
                byKey.remove(key);
            }
        }
        publish();
    }

    private void publish() {
        snapshot = InstanceSnapshot.of(new ArrayList<>(byKey.values()), snapshot);
    }

    /** Key {@code <prefix><service>/<instanceID>}. */
    private Optional<ServiceInstance> instance(String key, String value) {
        String rest = key.substring(spec.prefix().length());
        int slash = rest.indexOf('/');
        String service = slash < 0 ? "" : rest.substring(0, slash);
        return ServiceInstance.parse(value, service, slash < 0 ? rest : rest.substring(slash + 1));
    }

    @Override
    public List<ServiceInstance> instancesOf(String service) {
        List<ServiceInstance> instances = snapshot.get(service);
        return instances == null || instances.isEmpty() ? null : instances;
    }

    @Override
    public boolean loaded() {
        return everLoaded;
    }

    @Override
    public String describe() {
        long last = lastContact;
        boolean reachable = last != 0 && System.nanoTime() - last <= staleAfterNanos;
        return "etcd " + String.join(",", spec.endpoints()) + spec.prefix() + (reachable ? ": reachable" : last == 0 ? ": not reached yet" : ": not reached lately (instances as last listed)")
                + ", " + snapshot.size() + " instances";
    }

    @Override
    public void close() {
        closed = true;
        heartbeat.cancel(false);
        synchronized (this) {
            if (watcher != null) {
                watcher.close();
            }
        }
        client.close();
    }
}
