package io.edgegate.dataplane.registry;

import io.edgegate.spec.registry.ZookeeperServiceRegistrySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ZookeeperServiceRegistry: a CuratorCache mirrors the znodes under the prefix (ZooKeeper
 * watches, not polling), and every change rebuilds the instance snapshot. Without a connection
 * it keeps answering the instances it last saw, as Easegress does: a registry outage must not take
 * healthy upstreams out of every pool (health checks and failures still do, server by server).
 */
final class ZookeeperRegistry implements ServiceRegistry {

    private static final Logger log = LoggerFactory.getLogger(ZookeeperRegistry.class);

    private final ZookeeperServiceRegistrySpec spec;
    private final CuratorFramework client;
    private final CuratorCache cache;
    private volatile InstanceSnapshot snapshot = InstanceSnapshot.EMPTY;
    /** When the connection was lost (System.nanoTime), 0 while connected. */
    private volatile long disconnectedSince = System.nanoTime();
    private volatile boolean initialized;

    ZookeeperRegistry(ZookeeperServiceRegistrySpec spec) {
        this.spec = spec;
        int connectMillis = (int) spec.conntimeout().toMillis();
        this.client = CuratorFrameworkFactory.builder()
                .connectString(spec.connectString())
                .connectionTimeoutMs(connectMillis)
                .sessionTimeoutMs((int) Math.max(connectMillis * 2L, Duration.ofSeconds(10).toMillis()))
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 3000))
                .build();
        client.getConnectionStateListenable().addListener((c, state) -> {
            if (state.isConnected()) {
                disconnectedSince = 0;
            } else if (disconnectedSince == 0) {
                disconnectedSince = System.nanoTime();
                log.warn("{}: lost ZooKeeper ({}); pools keep the instances it last listed until it is back", spec.name(), state);
            }
        });
        this.cache = CuratorCache.build(client, spec.prefix());
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forInitialized(() -> {
                    rebuild();
                    initialized = true; // after the snapshot: a successor client reads it as soon as this says loaded
                })
                .forAll((type, before, after) -> {
                    if (initialized) {
                        rebuild();
                    }
                })
                .build());
        client.start();
        cache.start();
    }

    private synchronized void rebuild() {
        List<ServiceInstance> instances = cache.stream()
                .filter(node -> node.getData() != null && node.getData().length > 0)
                .map(this::instance)
                .flatMap(Optional::stream)
                .toList();
        snapshot = InstanceSnapshot.of(instances, snapshot);
        log.debug("{}: {} instances", spec.name(), instances.size());
    }

    private Optional<ServiceInstance> instance(ChildData node) {
        String path = node.getPath();
        int last = path.lastIndexOf('/');
        int parent = path.lastIndexOf('/', last - 1);
        String serviceFromPath = parent < 0 ? "" : path.substring(parent + 1, last);
        return ServiceInstance.parse(new String(node.getData(), StandardCharsets.UTF_8), serviceFromPath, path.substring(last + 1));
    }

    @Override
    public List<ServiceInstance> instancesOf(String service) {
        List<ServiceInstance> instances = snapshot.get(service);
        return instances == null || instances.isEmpty() ? null : instances;
    }

    @Override
    public boolean loaded() {
        return initialized;
    }

    @Override
    public String describe() {
        return "ZooKeeper " + spec.connectString() + spec.prefix() + (disconnectedSince == 0 ? ": connected" : ": no connection (instances as last listed)")
                + ", " + snapshot.size() + " instances";
    }

    @Override
    public void close() {
        cache.close();
        client.close();
    }
}
