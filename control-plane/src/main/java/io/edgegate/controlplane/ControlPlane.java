package io.edgegate.controlplane;

import io.edgegate.async.Causes;
import io.edgegate.controlplane.admin.AdminListener;
import io.edgegate.controlplane.admin.ApiCallMetrics;
import io.edgegate.controlplane.admin.ControlPlaneMetrics;
import io.edgegate.controlplane.api.ObjectApi;
import io.edgegate.controlplane.api.ObjectReads;
import io.edgegate.controlplane.cluster.ClusterApi;
import io.edgegate.controlplane.cluster.ClusterOverview;
import io.edgegate.controlplane.cluster.ClusterView;
import io.edgegate.controlplane.console.Console;
import io.edgegate.controlplane.cluster.MemberBackend;
import io.edgegate.controlplane.cluster.MemberPublisher;
import io.edgegate.controlplane.cluster.MemberRegistry;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.discovery.DiscoveryApi;
import io.edgegate.controlplane.etcd.ManagedEtcd;
import io.edgegate.controlplane.store.EtcdMemberBackend;
import io.edgegate.controlplane.store.EtcdStore;
import io.edgegate.controlplane.store.HistoryCompactor;
import io.edgegate.controlplane.store.MemoryMembers;
import io.edgegate.controlplane.store.MemoryStore;
import io.edgegate.controlplane.store.Store;
import io.edgegate.controlplane.store.StoreUnavailableException;
import io.edgegate.controlplane.etcd.EtcdAccess;
import io.edgegate.controlplane.etcd.EtcdAccessCheck;
import io.edgegate.controlplane.secrets.EtcdRedactionKeyStore;
import io.edgegate.controlplane.secrets.Redaction;
import io.edgegate.controlplane.secrets.RedactionKeyStore;
import io.edgegate.controlplane.security.CallAuthorization;
import io.edgegate.controlplane.security.ControlPlaneSecurity;
import io.edgegate.controlplane.security.EtcdTokenStore;
import io.edgegate.controlplane.security.MemoryTokenStore;
import io.edgegate.controlplane.security.SecurityCounters;
import io.edgegate.controlplane.security.TokenApi;
import io.edgegate.controlplane.security.TokenStore;
import io.edgegate.controlplane.security.TokenSessions;
import io.edgegate.controlplane.security.Tokens;
import io.edgegate.security.ControlChannelTls;
import io.edgegate.security.ReloadingTls;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.etcd.jetcd.Client;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running control-plane replica: etcd client, config cache, member registry and its shared
 * view, and the gRPC server around them. Replicas share nothing but etcd.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
    /** How long a replica counts as alive after it stopped renewing its lease (it died without revoking it). */
    static final Duration MEMBER_LEASE = Duration.ofSeconds(6);
    /** How long a node that is gone stays listed (as Disconnected) unless an operator forgets it. */
    static final Duration MEMBER_RETENTION = Duration.ofHours(24);
    /** How long an expired token is still listed (as expired) before it is deleted. */
    static final Duration EXPIRED_TOKENS_KEPT = Duration.ofHours(24);
    /** The largest API request: an apply of many objects fits, a runaway client does not (gRPC names the limit when it refuses). */
    static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;
    /**
     * A connection silent this long is pinged; unanswered for {@link #KEEPALIVE_TIMEOUT}, it is closed (its node
     * Disconnected). 10 s is the least gRPC takes.
     */
    static final Duration KEEPALIVE_TIME = Duration.ofSeconds(10);
    static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(3);

    private final List<AutoCloseable> resources;
    private final ConfigCache cache;
    private final Server server;

    private ControlPlane(List<AutoCloseable> resources, ConfigCache cache, Server server) {
        this.resources = resources;
        this.cache = cache;
        this.server = server;
    }

    public static ControlPlane start(ControlPlaneConfig config) throws IOException {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            return start(config, resources);
        } catch (IOException | RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    private static ControlPlane start(ControlPlaneConfig config, List<AutoCloseable> resources) throws IOException {
        List<String> endpoints = config.etcdEndpoints();
        EtcdAccess access = config.etcdAccess();
        if (endpoints.isEmpty()) {
            // The local etcd is as locked as the control plane: TLS and client certificates unless --insecure.
            ManagedEtcd managedEtcd = ManagedEtcd.start(config.etcdBinary(), config.dataDir(), !config.security().insecure());
            resources.add(managedEtcd);
            endpoints = List.of(managedEtcd.endpoint());
            access = managedEtcd.access();
        }
        ScheduledExecutorService scheduler = scheduler(resources);
        Client client = EtcdStore.connect(endpoints, access);
        resources.add(client::close);
        EtcdStore store = new EtcdStore(client, endpoints, config.storeTimeout());
        EtcdAccessCheck.verify(store, access, config.storeTimeout());
        EtcdMemberBackend memberBackend = new EtcdMemberBackend(client, selfOf(config.listen()), MEMBER_LEASE, config.storeTimeout(),
                scheduler);
        resources.add(HistoryCompactor.start(client.getKVClient(), config.historyCompaction(), config.storeTimeout(), scheduler));
        return assemble(config.listen(), store, memberBackend, memberBackend::reloadAll, scheduler, resources,
                config.security(), new EtcdTokenStore(client, config.storeTimeout()), new EtcdRedactionKeyStore(client, config.storeTimeout()),
                config.adminListen());
    }

    /**
     * A control plane whose objects and members live in this process's memory ({@link MemoryStore}):
     * the same API and config stream without etcd, for tests and embedding. Nothing survives it.
     */
    public static ControlPlane startInMemory(InetSocketAddress listen) throws IOException {
        return startInMemory(listen, ControlPlaneSecurity.disabled());
    }

    /** As {@link #startInMemory(InetSocketAddress)}, guarded as {@code security} says (tokens kept in memory too). */
    public static ControlPlane startInMemory(InetSocketAddress listen, ControlPlaneSecurity security) throws IOException {
        return startInMemory(listen, security, Optional.empty());
    }

    /** As above, with /healthz and /metrics on {@code adminListen}. */
    public static ControlPlane startInMemory(InetSocketAddress listen, ControlPlaneSecurity security,
                                             Optional<InetSocketAddress> adminListen) throws IOException {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            ScheduledExecutorService scheduler = scheduler(resources);
            MemoryStore store = new MemoryStore();
            resources.add(store);
            MemoryMembers members = new MemoryMembers(selfOf(listen));
            resources.add(members);
            return assemble(listen, store, members, () -> { }, scheduler, resources, security, new MemoryTokenStore(),
                    Redaction.inMemory(), adminListen);
        } catch (IOException | RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    private static ScheduledExecutorService scheduler(List<AutoCloseable> resources) {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "control-plane-tasks");
            t.setDaemon(true);
            return t;
        });
        resources.add(scheduler::shutdownNow);
        return scheduler;
    }

    /**
     * Where watches check their token again: a check may wait for etcd, and must not hold up the shared
     * scheduler (reloads, sweeps, wait timeouts) when etcd is slow. One thread; each watch's next check is
     * scheduled after its last one ends, so a slow etcd delays checks rather than piling them up.
     */
    private static ScheduledExecutorService tokenChecks(List<AutoCloseable> resources) {
        ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "watch-token-checks");
            t.setDaemon(true);
            return t;
        });
        resources.add(checks::shutdownNow);
        return checks;
    }

    /**
     * The name this replica goes by in the records it shares: its listen address, or, listening on every address,
     * this host's name. Two replicas of one Deployment both listen on 0.0.0.0:2381; by that name each took the
     * other's nodes for leftovers of its own earlier run and wrote them disconnected.
     */
    private static String selfOf(InetSocketAddress listen) {
        return ReplicaName.of(listen, ReplicaName::hostName);
    }

    /** The config cache, member view and gRPC services over a store and member records; {@code reloadMembers} runs on a new epoch. */
    private static ControlPlane assemble(InetSocketAddress listen, Store store, MemberBackend memberBackend, Runnable reloadMembers,
                                         ScheduledExecutorService scheduler, List<AutoCloseable> resources,
                                         ControlPlaneSecurity security, TokenStore tokenStore, RedactionKeyStore redactionKeys,
                                         Optional<InetSocketAddress> adminListen)
            throws IOException {
        Clock clock = Clock.systemUTC();
        String self = selfOf(listen);
        ConfigCache cache = new ConfigCache(store, scheduler, clock);
        resources.add(cache);
        MemberRegistry members = new MemberRegistry(clock, Duration.ofMinutes(10), self);
        ClusterView view = new ClusterView(members);
        MemberPublisher publisher = new MemberPublisher(members, view, memberBackend, scheduler,
                Duration.ofMillis(100), Duration.ofSeconds(10), MEMBER_RETENTION, clock);
        resources.add(publisher);
        AutoCloseable memberWatch = memberBackend.watch(view);
        resources.add(memberWatch);

        Redaction redaction = new Redaction();
        redaction.load(redactionKeys, scheduler);
        ObjectReads reads = new ObjectReads(store, cache, redaction, !security.insecure());
        Tokens tokens = new Tokens(tokenStore, clock);
        SecurityCounters counters = new SecurityCounters();
        ControlPlaneMetrics metrics = new ControlPlaneMetrics(self, cache, view, counters, security.insecure());
        ClusterOverview overview = new ClusterOverview(view, cache, security.insecure());
        resources.add(metrics);
        DiscoveryApi discovery = new DiscoveryApi(cache, members, counters, metrics::nodeApplied, scheduler);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(listen)
                .addService(new ObjectApi(store, reads, new DocumentParser(), new ObjectDecoder(FilterSpecKinds.builtIn()), clock, cache,
                        redaction, () -> view.members(cache.current())))
                .addService(discovery)
                .addService(new ClusterApi(view, members, memberBackend, cache, reads, scheduler, clock, overview,
                        tokenChecks(resources)))
                .addService(new TokenApi(tokens))
                // Data planes ping idle streams so dead peers are noticed; allow it.
                .permitKeepAliveTime(5, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                // And this side pings a connection that went quiet: a node behind a link that drops packets
                // silently keeps its stream open here until then, and would be listed as connected (and Ready)
                // while it hears nothing. Nodes send a heartbeat every 2 s, so a healthy one is never pinged (and a silent one is closed sooner: NodeSession).
                .keepAliveTime(KEEPALIVE_TIME.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .maxInboundMessageSize(MAX_REQUEST_BYTES);
        if (security.insecure()) {
            log.warn("INSECURE: --insecure turns TLS and tokens off; anyone who reaches {} can read every secret and change every route", self);
        } else {
            ReloadingTls tls = new ReloadingTls(security.tls().get(), clock);
            // A node whose CA left the bundle is cut off now, not when its stream next reconnects.
            tls.onChange(() -> discovery.closeUntrusted(chain -> trusts(tls, chain)));
            scheduler.scheduleWithFixedDelay(tls::refresh, 1, 1, TimeUnit.SECONDS);
            SslProvider provider = security.tlsProvider().netty();
            log.info("the control channel's TLS: {}", provider == SslProvider.OPENSSL ? "OpenSSL (netty-tcnative)" : "the JDK's");
            builder.sslContext(ControlChannelTls.server(tls, provider))
                    .intercept(new CallAuthorization(tokens, security.trustDomain(), security.callsPerSecondPerToken(), counters,
                            chain -> trusts(tls, chain)));
            bootstrapToken(tokens, security, scheduler);
            scheduler.scheduleWithFixedDelay(() -> removeExpiredTokens(tokens), 1, 60, TimeUnit.MINUTES);
        }
        // Added last, so it runs first: refused calls are counted too.
        builder.intercept(new ApiCallMetrics(metrics.registry()));
        // A store that came back empty (wiped, or restored from before any token) has no tokens either:
        // write a new admin token then, or no one could ever administer the cluster again.
        // The redaction key is in the store as well: every replica must print the markers of the key it now holds.
        Runnable onNewEpoch = () -> {
            reloadMembers.run();
            scheduler.execute(() -> redaction.load(redactionKeys, scheduler));
            if (!security.insecure()) {
                scheduler.execute(() -> bootstrapToken(tokens, security, scheduler));
            }
        };
        cache.subscribe(new EpochFollower(onNewEpoch));
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            throw new IOException("cannot listen on " + self + ": " + rootMessage(e), e);
        }
        if (adminListen.isPresent()) {
            Optional<TokenSessions> sessions = security.insecure() ? Optional.empty() : Optional.of(new TokenSessions(tokens, clock));
            Console console = Console.start(view, cache, overview, sessions, clock);
            AdminListener admin;
            try {
                // Ready once its config view is loaded, and while etcd is away too: nodes and egctl still get that view
                // (marked stale), where a Service with no ready replica would give them nothing. /healthz says which.
                admin = AdminListener.start(adminListen.get(), cache::isReady, cache::storeReachable, metrics::scrape,
                        List.of(console));
            } catch (IOException | RuntimeException e) {
                console.close();
                throw e;
            }
            resources.add(admin);
            log.info("admin listener (/healthz, /metrics, the console at /ui/) on {}:{}", adminListen.get().getHostString(), admin.port());
        }
        cache.start();
        publisher.start();
        log.info("control plane listening on {} (store: {})", self, store.describe());
        return new ControlPlane(resources, cache, server);
    }

    /** Expired tokens stay listed (as expired) for a day, then go from the store. */
    private static void removeExpiredTokens(Tokens tokens) {
        try {
            List<String> removed = tokens.removeExpired(EXPIRED_TOKENS_KEPT);
            if (!removed.isEmpty()) {
                log.info("removed {} token(s) expired more than {} ago: {}", removed.size(), EXPIRED_TOKENS_KEPT, removed);
            }
        } catch (RuntimeException e) {
            log.warn("cannot remove expired tokens (will try again in an hour): {}", e.getMessage());
        }
    }

    /** Whether the CAs {@code tls} trusts now sign {@code chain}, a node's client certificate chain. */
    private static boolean trusts(ReloadingTls tls, java.util.List<java.security.cert.X509Certificate> chain) {
        try {
            tls.trustManager().checkClientTrusted(chain.toArray(java.security.cert.X509Certificate[]::new),
                    chain.get(0).getPublicKey().getAlgorithm());
            return true;
        } catch (java.security.cert.CertificateException e) {
            return false;
        }
    }

    /**
     * Makes sure an admin token works: the one made beforehand when the security names one (its file
     * is read each time, so a rotated Secret counts), else a new one written to the admin token file.
     */
    private static void bootstrapToken(Tokens tokens, ControlPlaneSecurity security, ScheduledExecutorService scheduler) {
        try {
            if (security.initialAdminToken().isPresent()) {
                tokens.adopt(java.nio.file.Files.readString(security.initialAdminToken().get()).strip());
            } else {
                tokens.bootstrap(security.adminTokenFile());
            }
        } catch (StoreUnavailableException e) {
            log.warn("cannot check for tokens yet ({}); trying again", e.getMessage());
            scheduler.schedule(() -> bootstrapToken(tokens, security, scheduler), 2, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(security.initialAdminToken().isPresent()
                    ? "cannot read the initial admin token " + security.initialAdminToken().get()
                    : "cannot write the admin token to " + security.adminTokenFile(), e);
        }
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
        closeAll(resources);
    }

    /** Closes in reverse order of creation. */
    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                log.warn("closing {}: {}", resources.get(i), e.toString());
            }
        }
        resources.clear();
    }

    private static String rootMessage(Throwable e) {
        return Causes.root(e).getMessage();
    }
}
