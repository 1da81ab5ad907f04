package io.edgegate.controlplane;

import io.edgegate.controlplane.api.ObjectApi;
import io.edgegate.controlplane.cluster.ClusterApi;
import io.edgegate.controlplane.cluster.MemberRegistry;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.discovery.DiscoveryApi;
import io.edgegate.controlplane.etcd.ManagedEtcd;
import io.edgegate.controlplane.store.EtcdStore;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running control plane: store, config cache, member registry and the gRPC server around them. */
public final class ControlPlane implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);

    private final ManagedEtcd managedEtcd;
    private final EtcdStore store;
    private final ConfigCache cache;
    private final Server server;

    private ControlPlane(ManagedEtcd managedEtcd, EtcdStore store, ConfigCache cache, Server server) {
        this.managedEtcd = managedEtcd;
        this.store = store;
        this.cache = cache;
        this.server = server;
    }

    public static ControlPlane start(ControlPlaneConfig config) throws IOException {
        ManagedEtcd managedEtcd = null;
        List<String> endpoints = config.etcdEndpoints();
        if (endpoints.isEmpty()) {
            managedEtcd = ManagedEtcd.start(config.etcdBinary(), config.dataDir());
            endpoints = List.of(managedEtcd.endpoint());
        }
        EtcdStore store = new EtcdStore(endpoints, config.storeTimeout());
        ConfigCache cache = new ConfigCache(store);
        String self = config.listen().getHostString() + ":" + config.listen().getPort();
        MemberRegistry members = new MemberRegistry(Clock.systemUTC(), Duration.ofMinutes(10), self);
        DocumentParser parser = new DocumentParser();
        ObjectDecoder decoder = new ObjectDecoder(FilterSpecKinds.builtIn());
        Server server = NettyServerBuilder.forAddress(config.listen())
                .addService(new ObjectApi(store, parser, decoder))
                .addService(new DiscoveryApi(cache, members))
                .addService(new ClusterApi(members, cache))
                // Data planes ping idle streams so dead peers are noticed; allow it.
                .permitKeepAliveTime(5, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .build();
        try {
            server.start();
        } catch (IOException e) {
            store.close();
            if (managedEtcd != null) {
                managedEtcd.close();
            }
            throw new IOException("cannot listen on " + self + ": " + rootMessage(e), e);
        }
        cache.start();
        log.info("control plane listening on {} (store: {})", self, store.describe());
        return new ControlPlane(managedEtcd, store, cache, server);
    }

    public int port() {
        return server.getPort();
    }

    public ConfigCache cache() {
        return cache;
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(3, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        cache.close();
        store.close();
        if (managedEtcd != null) {
            managedEtcd.close();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
