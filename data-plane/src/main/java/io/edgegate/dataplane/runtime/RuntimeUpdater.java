package io.edgegate.dataplane.runtime;

import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectLiveStatus;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.dataplane.customdata.CustomDataView;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.PipelineBuilder.Generation;
import io.edgegate.dataplane.pipeline.PipelineBuilder;
import io.edgegate.dataplane.registry.RegistryView;
import io.edgegate.dataplane.server.ListenerException;
import io.edgegate.dataplane.server.ListenerSet;
import io.edgegate.dataplane.server.ServerState;
import io.edgegate.dataplane.tls.ServerTls;
import io.edgegate.dataplane.tls.ServerTlsCache;
import io.edgegate.spec.DecodedObject;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.customdata.CustomDataSpec;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.pipeline.PipelineSpec;
import io.edgegate.spec.registry.EtcdServiceRegistrySpec;
import io.edgegate.spec.registry.ZookeeperServiceRegistrySpec;
import io.edgegate.spec.server.HttpServerSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a complete set of objects into the running node: decodes them, builds the new
 * pipeline generation (inheriting unchanged filters), binds new listeners and swaps every
 * listener's state. All of this happens off the event loops; requests switch to the new
 * generation when they next read their listener's state. Anything that fails leaves the
 * previous generation serving.
 */
public final class RuntimeUpdater {

    private static final Logger log = LoggerFactory.getLogger(RuntimeUpdater.class);

    private final ServerTlsCache tls;
    private final Set<String> loggedProvider = new HashSet<>();

    private final DocumentParser parser;
    private final ObjectDecoder decoder;
    private final PipelineBuilder pipelineBuilder;
    private final ListenerSet listeners;
    private final CustomDataView customData;
    private final RegistryView registries;
    private volatile Generation generation = Generation.EMPTY;
    /** Kinds of the applied pipelines (HTTPPipeline or Pipeline), by name, for status reports. */
    private volatile Map<String, ObjectKind> pipelineKinds = Map.of();
    private volatile long appliedRevision;
    /** The store epoch of the applied revision ("" for none, or a config from before epochs). */
    private volatile String appliedEpoch = "";

    public RuntimeUpdater(DocumentParser parser, ObjectDecoder decoder, PipelineBuilder pipelineBuilder, ListenerSet listeners,
                          ServerTlsCache tls, CustomDataView customData, RegistryView registries) {
        this.tls = tls;
        this.customData = customData;
        this.registries = registries;
        this.parser = parser;
        this.decoder = decoder;
        this.pipelineBuilder = pipelineBuilder;
        this.listeners = listeners;
    }

    public long appliedRevision() {
        return appliedRevision;
    }

    public String appliedEpoch() {
        return appliedEpoch;
    }

    /**
     * Applies a config only if none has been applied yet: the start-up fallback to the
     * last-good file must never replace a config the control plane delivered meanwhile.
     */
    public synchronized boolean applyIfNone(String epoch, long revision, Collection<StoredObject> objects)
            throws ConfigRejectedException {
        if (appliedRevision != 0) {
            return false;
        }
        apply(epoch, revision, objects);
        return true;
    }

    /** Makes {@code objects}, the whole config at revision {@code revision} of store epoch {@code epoch}, the running one. */
    public synchronized void apply(String epoch, long revision, Collection<StoredObject> objects) throws ConfigRejectedException {
        List<HttpServerSpec> servers = new ArrayList<>();
        List<PipelineSpec> pipelines = new ArrayList<>();
        List<CustomDataSpec> data = new ArrayList<>();
        List<ObjectSpec> serviceRegistries = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (StoredObject object : objects) {
            try {
                DecodedObject decoded = decoder.decode(parser.parseJson(object.getJson()), ValidationMode.STRICT);
                ObjectSpec spec = decoded.spec();
                if (spec instanceof HttpServerSpec server) {
                    servers.add(server);
                } else if (spec instanceof PipelineSpec pipeline) {
                    pipelines.add(pipeline);
                } else if (spec instanceof CustomDataSpec records) {
                    data.add(records);
                } else if (spec instanceof ZookeeperServiceRegistrySpec || spec instanceof EtcdServiceRegistrySpec) {
                    serviceRegistries.add(spec);
                }
            } catch (SpecException e) {
                errors.add(object.getKey().getKind() + "/" + object.getKey().getName() + ": " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigRejectedException(String.join("; ", errors));
        }
        servers.sort(Comparator.comparing(HttpServerSpec::name));
        Map<String, ServerTls> serverTls = buildTls(servers);

        Generation next;
        try {
            next = pipelineBuilder.build(pipelines, generation);
        } catch (RuntimeException e) {
            tls.rejected();
            throw new ConfigRejectedException("cannot build pipelines: " + e.getMessage());
        }
        List<ServerState> states = servers.stream()
                .map(s -> ServerState.of(s, next.pipelines(), Optional.ofNullable(serverTls.get(s.name()))))
                .toList();
        try {
            listeners.reconcile(states);
        } catch (ListenerException e) {
            next.createdHere().forEach(Filter::close);
            tls.rejected();
            throw new ConfigRejectedException(e.getMessage());
        }
        tls.applied();
        customData.replace(data);
        registries.reconcile(serviceRegistries);
        List<Filter> retired = next.retired();
        generation = next.detached();
        retired.forEach(Filter::close);
        appliedRevision = revision;
        appliedEpoch = epoch;
        pipelineKinds = pipelines.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(PipelineSpec::name, PipelineSpec::kind));
        log.info("applied revision {} of epoch {}: {} HTTP servers, {} pipelines, {} custom data, {} service registries", revision,
                epoch.isEmpty() ? "none" : epoch, servers.size(), pipelines.size(), data.size(), serviceRegistries.size());
    }

    /** TLS contexts by server name; a certificate that cannot be loaded rejects the config. */
    private Map<String, ServerTls> buildTls(List<HttpServerSpec> servers) throws ConfigRejectedException {
        Map<String, ServerTls> built = new HashMap<>();
        for (HttpServerSpec server : servers) {
            if (server.tls().isEmpty()) {
                continue;
            }
            try {
                ServerTls contexts = tls.get(server.tls().get());
                if (loggedProvider.add(contexts.provider().name())) {
                    log.info("TLS is terminated with the {} provider", contexts.provider());
                }
                built.put(server.name(), contexts);
            } catch (SSLException | RuntimeException e) {
                tls.rejected();
                throw new ConfigRejectedException("HTTPServer " + server.name() + ": cannot load its certificates: " + e.getMessage());
            }
        }
        return built;
    }

    /** The live state of the running pipelines' filters and of the service registries. */
    public List<ObjectLiveStatus> liveStatus() {
        List<ObjectLiveStatus> out = new ArrayList<>();
        Map<String, ObjectKind> kinds = pipelineKinds;
        generation.liveStatus().forEach((pipeline, lines) -> out.add(ObjectLiveStatus.newBuilder()
                .setKey(ObjectKey.newBuilder().setKind(kinds.getOrDefault(pipeline, ObjectKind.PIPELINE).kindName()).setName(pipeline))
                .addAllLines(lines).build()));
        registries.status().forEach(r -> out.add(ObjectLiveStatus.newBuilder()
                .setKey(ObjectKey.newBuilder().setKind(r.kind().kindName()).setName(r.name())).addLines(r.line()).build()));
        return out;
    }

    public synchronized void shutdown() {
        listeners.closeAll();
        registries.close();
        generation.createdHere().forEach(Filter::close);
    }
}
