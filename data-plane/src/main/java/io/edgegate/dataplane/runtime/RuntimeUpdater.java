package io.edgegate.dataplane.runtime;

import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectLiveStatus;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.dataplane.accesslog.AccessLog;
import io.edgegate.dataplane.metrics.NodeMetrics;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.PipelineBuilder;
import io.edgegate.dataplane.pipeline.PipelineBuilder.Generation;
import io.edgegate.dataplane.registry.RegistryClients;
import io.edgegate.dataplane.registry.RunningRegistry;
import io.edgegate.dataplane.registry.ServiceRegistry;
import io.edgegate.dataplane.route.RouteTable;
import io.edgegate.dataplane.server.ListenerException;
import io.edgegate.dataplane.server.ListenerSet;
import io.edgegate.dataplane.server.ServerState;
import io.edgegate.dataplane.tls.ServerTls;
import io.edgegate.dataplane.tls.ServerTlsFactory;
import io.edgegate.dataplane.tracing.ServerTracings;
import io.edgegate.dataplane.tracing.Tracing;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.customdata.CustomDataSpec;
import io.edgegate.spec.pipeline.PipelineSpec;
import io.edgegate.spec.server.HttpServerSpec;
import io.edgegate.spec.server.tls.TlsSpec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a complete set of objects into the running node, in three phases. Build: decode them,
 * load TLS contexts, build the pipelines (inheriting unchanged filters), start the clients of
 * new registries and bind new ports; anything that fails undoes what this build created and
 * rejects the config, and nothing of it was in service. Commit: one swap of the node's runtime
 * reference, which cannot fail. Retire: close the listeners, filters and registry clients the
 * new runtime no longer has. All of it runs off the event loops; requests switch to the new
 * runtime when they next read it.
 */
public final class RuntimeUpdater {

    private static final Logger log = LoggerFactory.getLogger(RuntimeUpdater.class);

    private final DocumentParser parser;
    private final ObjectDecoder decoder;
    private final PipelineBuilder pipelineBuilder;
    private final ListenerSet listeners;
    private final ServerTlsFactory tls;
    private final RegistryClients registryClients;
    private final CurrentRuntime current;
    /** Set by {@link #shutdown}: no config is applied after it. */
    private boolean stopped;
    private final Set<String> loggedProvider = new HashSet<>();
    private final SpecCache specs = new SpecCache();

    private final NodeMetrics metrics;
    private final AccessLog accessLog;
    private final ServerTracings tracings;

    public RuntimeUpdater(DocumentParser parser, ObjectDecoder decoder, PipelineBuilder pipelineBuilder, ListenerSet listeners,
                          ServerTlsFactory tls, RegistryClients registryClients, CurrentRuntime current) {
        this(parser, decoder, pipelineBuilder, listeners, tls, registryClients, current, new NodeMetrics(""), AccessLog.off(),
                new ServerTracings("", Tracing.off()));
    }

    public RuntimeUpdater(DocumentParser parser, ObjectDecoder decoder, PipelineBuilder pipelineBuilder, ListenerSet listeners,
                          ServerTlsFactory tls, RegistryClients registryClients, CurrentRuntime current, NodeMetrics metrics,
                          AccessLog accessLog, ServerTracings tracings) {
        this.metrics = metrics;
        this.tracings = tracings;
        this.accessLog = accessLog;
        this.parser = parser;
        this.decoder = decoder;
        this.pipelineBuilder = pipelineBuilder;
        this.listeners = listeners;
        this.tls = tls;
        this.registryClients = registryClients;
        this.current = current;
    }

    public long appliedRevision() {
        return current.get().revision();
    }

    public String appliedEpoch() {
        return current.get().epoch();
    }

    /**
     * Applies a config only if none has been applied yet: the start-up fallback to the
     * last-good file must never replace a config the control plane delivered meanwhile.
     */
    public synchronized boolean applyIfNone(String epoch, long revision, Collection<StoredObject> objects)
            throws ConfigRejectedException {
        if (current.get().revision() != 0) {
            return false;
        }
        apply(epoch, revision, objects);
        return true;
    }

    /** Makes {@code objects}, the whole config at revision {@code revision} of store epoch {@code epoch}, the running one. */
    public synchronized void apply(String epoch, long revision, Collection<StoredObject> objects) throws ConfigRejectedException {
        if (stopped) {
            // An update that arrived as the node stopped must not bind its ports again.
            throw new ConfigRejectedException("the node is stopping");
        }
        long started = System.nanoTime();
        try {
            applyConfig(epoch, revision, objects, started);
        } catch (ConfigRejectedException e) {
            metrics.rejected(System.nanoTime() - started);
            throw e;
        }
        metrics.applied(System.nanoTime() - started);
    }

    private void applyConfig(String epoch, long revision, Collection<StoredObject> objects, long started)
            throws ConfigRejectedException {
        NodeRuntime previous = current.get();
        SpecCache.Round decoded = specs.round();
        ConfigObjects config = ConfigObjects.decode(parser, decoder, objects, decoded);
        Map<String, ServerTls> tlsByServer = buildTls(config.servers(), previous.tls());
        // Once per apply: it looks at every path of every server for a backendPool.
        List<PipelineSpec> allPipelines = config.allPipelines();
        Generation next;
        try {
            next = pipelineBuilder.build(allPipelines, previous.generation());
        } catch (RuntimeException e) {
            throw new ConfigRejectedException("cannot build pipelines: " + e.getMessage());
        }
        RegistryClients.Prepared registries;
        try {
            registries = registryClients.prepare(config.registries(), previous.registries());
        } catch (RuntimeException e) {
            next.createdHere().forEach(Filter::close);
            throw new ConfigRejectedException("cannot start a service registry client: " + e.getMessage());
        }
        Map<InetSocketAddress, ServerState> servers;
        ListenerSet.Prepared bound = null;
        NodeRuntime runtime;
        ServerTracings.Prepared tracing;
        try {
            tracing = tracings.prepare(config.servers());
        } catch (RuntimeException e) {
            next.createdHere().forEach(Filter::close);
            registries.started().forEach(ServiceRegistry::close);
            throw new ConfigRejectedException("cannot start tracing: " + e.getMessage());
        }
        // A server whose spec was not decoded again keeps its route table (50,000 routes take ~50 ms to index);
        // a changed one keeps the compiled rules and host indexes its change did not touch.
        Map<String, ServerState> running = new HashMap<>();
        previous.servers().values().forEach(state -> running.put(state.spec().name(), state));
        try {
            List<ServerState> states = config.servers().stream()
                    .map(s -> ServerState.of(s, routesOf(s, running.get(s.name())), next.pipelines(),
                            Optional.ofNullable(tlsByServer.get(s.name())), metrics.server(s.name()), accessLog, tracing.of(s.name()),
                            s.globalFilter().flatMap(config::globalFilter)))
                    .toList();
            servers = listeners.byAddress(states);
            bound = listeners.prepare(servers);
            runtime = new NodeRuntime(epoch, revision, servers, next.detached(),
                    config.customData().stream().collect(Collectors.toMap(CustomDataSpec::name, Function.identity())),
                    registries.running(), tlsOf(config.servers(), tlsByServer),
                    config.pipelines().stream().collect(Collectors.toMap(PipelineSpec::name, PipelineSpec::kind)),
                    config.customDataIdFields());
        } catch (ListenerException | RuntimeException e) {
            // Nothing of it serves: a port it bound would answer with this refused config.
            if (bound != null) {
                listeners.abandon(bound);
            }
            next.createdHere().forEach(Filter::close);
            registries.started().forEach(ServiceRegistry::close);
            tracings.discard(tracing);
            metrics.forgetServersOtherThan(running.keySet());
            throw new ConfigRejectedException(e.getMessage(), e instanceof ListenerException listener && listener.mayPassLater());
        }
        List<Filter> retired = next.retired();

        // Commit: nothing from here on can fail.
        listeners.commit(bound);
        // Meters of new backends exist before the first request can reach them: the request path only looks them up.
        servers.values().forEach(state -> metrics.server(state.spec().name()).prepare(state.routes().backends()));
        current.swap(runtime);
        specs.commit(decoded);

        listeners.closeGone(bound);
        tracings.commit(tracing);
        metrics.keepOnly(config.servers().stream().map(HttpServerSpec::name).collect(Collectors.toSet()),
                allPipelines.stream().map(PipelineSpec::name).collect(Collectors.toSet()));
        metrics.certificates(tlsByServer.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().expiries())));
        // The config is in service: what it retired is closed one by one, and one that fails to close stops no other.
        retired.forEach(filter -> closeRetired(filter::close, "filter " + filter));
        registries.retired().forEach(registry -> closeRetired(registry::close, "service registry client " + registry));
        log.info("applied revision {} of epoch {} in {} ms: {} HTTP servers, {} pipelines, {} custom data, {} service registries",
                revision, epoch.isEmpty() ? "none" : epoch, (System.nanoTime() - started) / 1_000_000, config.servers().size(),
                config.pipelines().size(), config.customData().size(), config.registries().size());
    }

    private static void closeRetired(Runnable close, String what) {
        try {
            close.run();
        } catch (RuntimeException e) {
            log.warn("could not close the retired {}: {}", what, e.toString());
        }
    }

    private static RouteTable routesOf(HttpServerSpec server, ServerState running) {
        if (running == null) {
            return RouteTable.of(server);
        }
        return running.spec() == server ? running.routes() : RouteTable.of(server, running.routes());
    }

    /** TLS contexts by server name, reusing the running ones; a certificate that cannot be loaded rejects the config. */
    private Map<String, ServerTls> buildTls(List<HttpServerSpec> servers, Map<TlsSpec, ServerTls> running)
            throws ConfigRejectedException {
        Map<String, ServerTls> built = new HashMap<>();
        for (HttpServerSpec server : servers) {
            if (server.tls().isEmpty()) {
                continue;
            }
            try {
                ServerTls contexts = tls.get(server.tls().get(), running);
                if (loggedProvider.add(contexts.provider().name())) {
                    log.info("TLS is terminated with the {} provider", contexts.provider());
                }
                built.put(server.name(), contexts);
            } catch (SSLException | RuntimeException e) {
                throw new ConfigRejectedException("HTTPServer " + server.name() + ": cannot load its certificates: " + e.getMessage());
            }
        }
        return built;
    }

    private static Map<TlsSpec, ServerTls> tlsOf(List<HttpServerSpec> servers, Map<String, ServerTls> byServer) {
        Map<TlsSpec, ServerTls> out = new HashMap<>();
        servers.forEach(s -> s.tls().ifPresent(spec -> out.put(spec, byServer.get(s.name()))));
        return out;
    }

    /** The live state of the running pipelines' filters and of the service registries, with the config they run. */
    public LiveState liveState() {
        NodeRuntime runtime = current.get();
        return new LiveState(runtime.epoch(), runtime.revision(), liveStatus(runtime));
    }

    private static List<ObjectLiveStatus> liveStatus(NodeRuntime runtime) {
        List<ObjectLiveStatus> out = new ArrayList<>();
        Map<String, ObjectKind> kinds = runtime.pipelineKinds();
        runtime.generation().liveStatus().forEach((pipeline, lines) -> out.add(ObjectLiveStatus.newBuilder()
                .setKey(ObjectKey.newBuilder().setKind(kinds.getOrDefault(pipeline, ObjectKind.PIPELINE).kindName()).setName(pipeline))
                .addAllLines(lines).build()));
        runtime.registries().values().stream()
                .sorted(java.util.Comparator.comparing(r -> r.spec().name()))
                .forEach(r -> out.add(ObjectLiveStatus.newBuilder()
                        .setKey(ObjectKey.newBuilder().setKind(r.spec().kind().kindName()).setName(r.spec().name()))
                        .addLines(r.registry().describe()).build()));
        return out;
    }

    /**
     * Stops serving: no port accepts, open connections finish their requests (at most {@code grace}), then what the
     * running config holds is closed: its requests in flight needed its filters, registries and tracing to the end.
     */
    public synchronized void shutdown(Duration grace) {
        stopped = true;
        // The running config stays while its connections drain: their requests still read its custom data and
        // registries (a pool's instances) through the node's one runtime reference.
        if (!listeners.closeAll(grace)) {
            log.warn("connections still open after {} s of draining are cut off", grace.toSeconds());
        }
        NodeRuntime runtime = current.swap(NodeRuntime.EMPTY);
        runtime.registries().values().stream().map(RunningRegistry::registry).forEach(ServiceRegistry::close);
        runtime.generation().createdHere().forEach(Filter::close);
        tracings.shutdown();
    }
}
