package io.edgegate.dataplane;

import io.edgegate.api.v1.NodeHello;
import io.edgegate.dataplane.admin.AdminServer;
import io.edgegate.dataplane.agent.ConfigAgent;
import io.edgegate.dataplane.filter.proxy.ProxyFilterFactory;
import io.edgegate.dataplane.pipeline.FilterRegistry;
import io.edgegate.dataplane.pipeline.PipelineBuilder;
import io.edgegate.dataplane.runtime.RuntimeUpdater;
import io.edgegate.dataplane.server.ListenerSet;
import io.edgegate.dataplane.transport.Transport;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.dataplane.upstream.UpstreamSettings;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running data-plane node: event loops, listeners, pipelines, upstream pools and the config agent. */
public final class DataPlane implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DataPlane.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final DnsAddressResolverGroup resolver;
    private final ScheduledExecutorService scheduler;
    private final RuntimeUpdater updater;
    private final ConfigAgent agent;
    private final AdminServer admin;

    private DataPlane(EventLoopGroup boss, EventLoopGroup workers, DnsAddressResolverGroup resolver,
                      ScheduledExecutorService scheduler, RuntimeUpdater updater, ConfigAgent agent, AdminServer admin) {
        this.boss = boss;
        this.workers = workers;
        this.resolver = resolver;
        this.scheduler = scheduler;
        this.updater = updater;
        this.agent = agent;
        this.admin = admin;
    }

    public static DataPlane start(DataPlaneConfig config) {
        Transport transport = Transport.detect();
        EventLoopGroup boss = transport.newGroup(1, "accept");
        EventLoopGroup workers = transport.newGroup(config.workerThreads(), "io");
        DnsAddressResolverGroup resolver = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(transport.datagramChannel()));
        UpstreamClient upstream = new UpstreamClient(transport, UpstreamSettings.DEFAULT, resolver);

        FilterSpecKinds specKinds = FilterSpecKinds.builtIn();
        FilterRegistry filters = new FilterRegistry(specKinds, List.of(new ProxyFilterFactory(upstream)));
        ListenerSet listeners = new ListenerSet(transport, boss, workers, config.listenAddress());
        RuntimeUpdater updater = new RuntimeUpdater(new DocumentParser(), new ObjectDecoder(specKinds),
                new PipelineBuilder(filters), listeners);

        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent");
            t.setDaemon(true);
            return t;
        });
        NodeHello identity = NodeHello.newBuilder()
                .setNodeId(config.nodeId())
                .setAddress(config.listenAddress().orElse("0.0.0.0"))
                .setVersion(Versions.current())
                .build();
        ConfigAgent agent = new ConfigAgent(config.controlPlanes(), identity, updater, scheduler);

        AdminServer admin = null;
        if (config.adminPort() > 0) {
            InetSocketAddress adminAddress = new InetSocketAddress(config.listenAddress().orElse("0.0.0.0"), config.adminPort());
            admin = AdminServer.start(adminAddress, transport, boss, () -> new AdminServer.NodeStatus(
                    config.nodeId(), updater.appliedRevision(), agent.connected(), agent.currentTarget()));
        }
        agent.start();
        log.info("data plane {} started ({} transport, {} I/O threads), control planes {}",
                config.nodeId(), transport.name(), config.workerThreads(), config.controlPlanes());
        return new DataPlane(boss, workers, resolver, scheduler, updater, agent, admin);
    }

    public long appliedRevision() {
        return updater.appliedRevision();
    }

    @Override
    public void close() {
        agent.close();
        scheduler.shutdownNow();
        if (admin != null) {
            admin.close();
        }
        updater.shutdown();
        resolver.close();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
