package io.edgegate.dataplane;

import io.edgegate.api.v1.NodeHello;
import io.edgegate.dataplane.admin.AdminServer;
import io.edgegate.dataplane.agent.ConfigAgent;
import io.edgegate.dataplane.agent.ControlChannels;
import io.edgegate.dataplane.accesslog.AccessLog;
import io.edgegate.dataplane.metrics.NodeMetrics;
import io.edgegate.security.ReloadingTls;
import io.edgegate.dataplane.customdata.CustomDataView;
import io.edgegate.dataplane.filter.BuiltInFilters;
import io.edgegate.dataplane.registry.RegistryClients;
import io.edgegate.dataplane.registry.RegistryStarter;
import io.edgegate.dataplane.registry.RegistryView;
import io.edgegate.dataplane.runtime.CurrentRuntime;
import io.edgegate.dataplane.pipeline.FilterFailures;
import io.edgegate.dataplane.pipeline.FilterRegistry;
import io.edgegate.dataplane.pipeline.PipelineBuilder;
import io.edgegate.dataplane.runtime.ConfigRejectedException;
import io.edgegate.dataplane.runtime.LastGoodConfig;
import io.edgegate.dataplane.runtime.RuntimeUpdater;
import io.edgegate.dataplane.server.ListenerSet;
import io.edgegate.dataplane.tls.ServerTlsFactory;
import io.edgegate.dataplane.tracing.NodeTracing;
import io.edgegate.dataplane.tracing.ServerTracings;
import io.edgegate.dataplane.tracing.Tracing;
import io.edgegate.dataplane.transport.Transport;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.dataplane.upstream.UpstreamSettings;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running data-plane node: event loops, listeners, pipelines, upstream pools and the config agent. */
public final class DataPlane implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DataPlane.class);
    /** How long a starting node waits for a control plane before serving its last-good config. */
    /** Threads for blocking work (StaticFile reads, password hashing), so event loops never wait on it. */
    private static final int FILE_IO_THREADS = 4;
    /**
     * How long a stopping node lets open connections finish their requests: within Kubernetes' default 30 s grace
     * (the manifest's preStop takes 5 of them) and systemd's 90 s.
     */
    static final java.time.Duration SHUTDOWN_DRAIN = java.time.Duration.ofSeconds(20);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final DnsAddressResolverGroup resolver;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService fileIo;
    private final RuntimeUpdater updater;
    private final ConfigAgent agent;
    private final AdminServer admin;
    private final NodeMetrics metrics;
    private final AccessLog accessLog;

    private DataPlane(EventLoopGroup boss, EventLoopGroup workers, DnsAddressResolverGroup resolver,
                      ScheduledExecutorService scheduler, ExecutorService fileIo, RuntimeUpdater updater, ConfigAgent agent,
                      AdminServer admin, NodeMetrics metrics, AccessLog accessLog) {
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.fileIo = fileIo;
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
        UpstreamClient upstream = new UpstreamClient(transport, UpstreamSettings.DEFAULT, resolver, config.tlsProvider());
        // Identity providers' answers decide who gets in: their certificates are checked, unlike upstreams'.
        UpstreamClient verifiedUpstream = new UpstreamClient(transport, UpstreamSettings.DEFAULT, resolver, config.tlsProvider(), true);

        FilterSpecKinds specKinds = FilterSpecKinds.builtIn();
        CurrentRuntime runtime = new CurrentRuntime();
        CustomDataView customData = new CustomDataView(() -> runtime.get().customData(), () -> runtime.get().customDataIdFields());
        // Blocking work off the event loops: files, bcrypt, the etcd registries' checks.
        ScheduledExecutorService fileIo = Executors.newScheduledThreadPool(FILE_IO_THREADS, daemonThreads("blocking"));
        RegistryView registries = new RegistryView(() -> runtime.get().registries());
        FilterRegistry filters = new FilterRegistry(specKinds, BuiltInFilters.all(
                new BuiltInFilters.Needs(upstream, verifiedUpstream, workers, registries, fileIo, customData, java.time.Clock.systemUTC())));
        Optional<InetSocketAddress> adminListen = config.adminPort() > 0
                ? Optional.of(new InetSocketAddress(config.adminAddress(), config.adminPort())) : Optional.empty();
        ListenerSet listeners = new ListenerSet(transport, boss, workers, config.listenAddress(), a -> runtime.get().serverAt(a), adminListen);
        NodeMetrics metrics = new NodeMetrics(config.nodeId(), config.metrics());
        AccessLog accessLog = config.accessLog().start(config.nodeId());
        metrics.watchAccessLog(accessLog);
        Tracing nodeTracing = NodeTracing.start(config.nodeId(), config.otlpEndpoint(), config.traceSample(), System.getenv());
        RuntimeUpdater updater = new RuntimeUpdater(new DocumentParser(), new ObjectDecoder(specKinds),
                new PipelineBuilder(filters, new FilterFailures(), metrics.registry(), metrics.upstreamStates()), listeners, ServerTlsFactory.of(config.tlsProvider()),
                new RegistryClients(RegistryStarter.of(fileIo)), runtime, metrics, accessLog, new ServerTracings(config.nodeId(), nodeTracing));

        // Traffic first: the saved config is served before the control plane's channel and its TLS are set up.
        LastGoodConfig lastGood = new LastGoodConfig(config.dataDir());
        ConfigSource source = new ConfigSource();
        serveLastGood(updater, lastGood, source);

        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("agent"));
        NodeHello identity = NodeHello.newBuilder()
                .setNodeId(config.nodeId())
                .setAddress(config.listenAddress().orElse("0.0.0.0"))
                .setVersion(io.edgegate.cli.ProductVersion.current())
                .setListenAddress(config.listenAddress().orElse(""))
                .setAdminListener(adminListen.map(a -> a.getHostString() + ":" + a.getPort()).orElse(""))
                .build();
        ConfigAgent agent = new ConfigAgent(config.controlPlanes(), identity, updater, lastGood, scheduler,
                controlChannels(config, scheduler, metrics), metrics::trafficSinceLastCall);

        AdminServer admin = null;
        if (adminListen.isPresent()) {
            admin = AdminServer.start(adminListen.get(), transport, () -> new AdminServer.NodeStatus(
                    config.nodeId(), updater.appliedEpoch(), updater.appliedRevision(), agent.connected(), agent.currentTarget(),
                    source.describe(agent.connected(), updater.appliedEpoch(), updater.appliedRevision())), metrics::scrape);
        }
        metrics.watchNode(updater::appliedRevision, agent::connected);
        agent.start();
        // What the first answer need not wait for: made now, while the node already serves.
        metrics.bindProcessMetrics();
        upstream.prepareTls();
        log.info("data plane {} started ({} transport, {} I/O threads), control planes {}, {}",
                config.nodeId(), transport.name(), config.workerThreads(), config.controlPlanes(), nodeTracing);
        return new DataPlane(boss, workers, resolver, scheduler, fileIo, updater, agent, admin, metrics, accessLog);
    }

    /** TLS to the control plane with this node's certificate, re-read when its files change; a bad file fails the start. */
    private static ControlChannels controlChannels(DataPlaneConfig config, ScheduledExecutorService scheduler, NodeMetrics metrics) {
        if (config.controlTls().isEmpty()) {
            log.warn("INSECURE: --insecure: the config stream is plaintext and the control plane cannot tell this node from an impostor");
            return ControlChannels.plaintext();
        }
        ReloadingTls tls = new ReloadingTls(config.controlTls().get(), java.time.Clock.systemUTC());
        scheduler.scheduleWithFixedDelay(tls::refresh, 1, 1, TimeUnit.SECONDS);
        metrics.watchCertificate(() -> tls.certificate().map(c -> c.getNotAfter().getTime() / 1000.0).orElse(Double.NaN));
        return new ControlChannels(Optional.of(tls), config.controlPlaneName(), config.tlsProvider().netty());
    }

    /**
     * Serves the config saved on disk from the first moment, before any control plane is asked:
     * a restarted node answers traffic at once, as NGINX does with its file, instead of waiting
     * for a control plane that may be down. The control plane's snapshot replaces it as soon as
     * one arrives (the node's hello tells the control plane what it runs).
     */
    private static void serveLastGood(RuntimeUpdater updater, LastGoodConfig lastGood, ConfigSource source) {
        try {
            Optional<LastGoodConfig.Saved> saved = lastGood.load();
            if (saved.isEmpty()) {
                log.info("no last-good config in {}: nothing is served until a control plane sends a config", lastGood.file());
                return;
            }
            if (updater.applyIfNone(saved.get().epoch(), saved.get().revision(), saved.get().objects())) {
                source.fromFile(saved.get());
                log.info("serving the last-good config (revision {}, saved {}) from {} until a control plane sends its own",
                        saved.get().revision(), saved.get().savedAt(), lastGood.file());
            }
        } catch (IOException | ConfigRejectedException | RuntimeException e) {
            // Part of the start now: a damaged file must not keep the node from taking the control plane's config.
            log.error("cannot serve the last-good config from {}: {}", lastGood.file(), e.toString());
        }
    }

    public long appliedRevision() {
        return updater.appliedRevision();
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        agent.close();
        scheduler.shutdownNow();
        if (admin != null) {
            admin.close();
        }
        metrics.close();
        updater.shutdown(SHUTDOWN_DRAIN);
        fileIo.shutdownNow();
        resolver.close();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        // After the event loops: the last requests' lines are written, not lost.
        accessLog.close();
    }
}
