package io.edgegate.dataplane.registry;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.registry.EtcdServiceRegistrySpec;
import io.edgegate.spec.registry.ZookeeperServiceRegistrySpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service registries of the applied config, by name. Applying a config starts clients for
 * new registries, restarts changed ones and closes removed ones; unchanged ones keep their
 * connection and instances. Pools look registries up per request, so a pool picks up a
 * registry that appears later.
 */
public final class RegistryView implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RegistryView.class);

    private record Running(ObjectSpec spec, ServiceRegistry registry) {
    }

    private final ScheduledExecutorService scheduler;
    private volatile Map<String, Running> byName = Map.of();

    /** {@code scheduler} runs the etcd registries' checks; it must not be an event loop (they block briefly). */
    public RegistryView(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Instances of {@code service} in registry {@code registry}, or null: unknown registry, unreachable, or none. */
    public List<ServiceInstance> instances(String registry, String service) {
        Running running = byName.get(registry);
        return running == null ? null : running.registry().instancesOf(service);
    }

    /** One registry's state for status reports. */
    public record Status(ObjectKind kind, String name, String line) {
    }

    public List<Status> status() {
        return byName.values().stream()
                .sorted(java.util.Comparator.comparing(r -> r.spec().name()))
                .map(r -> new Status(r.spec().kind(), r.spec().name(), r.registry().describe()))
                .toList();
    }

    public synchronized void reconcile(Collection<ObjectSpec> registries) {
        Map<String, Running> next = new HashMap<>();
        Map<String, Running> previous = byName;
        for (ObjectSpec spec : registries) {
            Running old = previous.get(spec.name());
            next.put(spec.name(), old != null && old.spec().equals(spec) ? old : new Running(spec, start(spec)));
        }
        byName = Map.copyOf(next);
        previous.forEach((name, running) -> {
            if (next.get(name) != running) {
                running.registry().close();
            }
        });
    }

    private ServiceRegistry start(ObjectSpec spec) {
        log.info("starting service registry {} ({})", spec.name(), spec.kind());
        if (spec instanceof ZookeeperServiceRegistrySpec zk) {
            return new ZookeeperRegistry(zk);
        }
        if (spec instanceof EtcdServiceRegistrySpec etcd) {
            return new EtcdRegistry(etcd, scheduler);
        }
        throw new IllegalArgumentException(spec.kind() + " is not a service registry");
    }

    @Override
    public synchronized void close() {
        byName.values().forEach(r -> r.registry().close());
        byName = Map.of();
    }
}
