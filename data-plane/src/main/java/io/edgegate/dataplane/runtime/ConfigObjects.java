package io.edgegate.dataplane.runtime;

import io.edgegate.api.v1.StoredObject;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.customdata.CustomDataSpec;
import io.edgegate.spec.filter.proxy.IdleConnectionsSpec;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.edgegate.spec.globalfilter.GlobalFilterSpec;
import io.edgegate.spec.pipeline.FlowStep;
import io.edgegate.spec.pipeline.PipelineSpec;
import io.edgegate.spec.registry.EtcdServiceRegistrySpec;
import io.edgegate.spec.registry.ZookeeperServiceRegistrySpec;
import io.edgegate.spec.server.HttpServerSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A config's objects decoded and sorted by what they become: listeners, pipelines, custom data, registries. */
record ConfigObjects(List<HttpServerSpec> servers, List<PipelineSpec> pipelines, List<CustomDataSpec> customData,
                     List<ObjectSpec> registries, List<GlobalFilterSpec> globalFilters, Map<String, String> customDataIdFields) {

    /**
     * The pipelines to build: the config's own, the before and after pipelines of its
     * GlobalFilters, and a Proxy pipeline for each path with a backendPool.
     */
    List<PipelineSpec> allPipelines() {
        List<PipelineSpec> all = new ArrayList<>(pipelines);
        globalFilters.forEach(g -> {
            g.beforePipeline().ifPresent(all::add);
            g.afterPipeline().ifPresent(all::add);
        });
        servers.forEach(server -> server.backendPools().forEach((name, pool) -> all.add(new PipelineSpec(name,
                ObjectKind.PIPELINE, List.of(new FlowStep("proxy", Map.of())),
                List.of(new ProxySpec("proxy", pool, List.of(), Optional.empty(),
                        Optional.empty(), Optional.empty(), IdleConnectionsSpec.DEFAULT))))));
        return all;
    }

    Optional<GlobalFilterSpec> globalFilter(String name) {
        return globalFilters.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /**
     * Decodes every object (or takes its spec from {@code decoded} when its JSON did not change);
     * any that does not decode rejects the whole config, naming each.
     */
    static ConfigObjects decode(DocumentParser parser, ObjectDecoder decoder, Collection<StoredObject> objects,
                                SpecCache.Round decoded) throws ConfigRejectedException {
        List<HttpServerSpec> servers = new ArrayList<>();
        List<PipelineSpec> pipelines = new ArrayList<>();
        List<CustomDataSpec> data = new ArrayList<>();
        List<ObjectSpec> registries = new ArrayList<>();
        List<GlobalFilterSpec> globalFilters = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<String, String> idFields = new java.util.HashMap<>();
        for (StoredObject object : objects) {
            try {
                ObjectSpec spec = decoded.spec(object, json -> decoder.decode(parser.parseJson(json), ValidationMode.STRICT).spec());
                if (spec instanceof HttpServerSpec server) {
                    servers.add(server);
                } else if (spec instanceof PipelineSpec pipeline) {
                    pipelines.add(pipeline);
                } else if (spec instanceof GlobalFilterSpec globalFilter) {
                    globalFilters.add(globalFilter);
                } else if (spec instanceof CustomDataSpec records) {
                    data.add(records);
                } else if (spec instanceof io.edgegate.spec.customdata.CustomDataKindSpec kind) {
                    idFields.put(kind.name(), kind.idField());
                } else if (spec instanceof ZookeeperServiceRegistrySpec || spec instanceof EtcdServiceRegistrySpec) {
                    registries.add(spec);
                }
            } catch (SpecException e) {
                errors.add(object.getKey().getKind() + "/" + object.getKey().getName() + ": " + e.getMessage());
            }
        }
        Map<String, PipelineSpec> byName = new java.util.HashMap<>();
        for (PipelineSpec pipeline : pipelines) {
            PipelineSpec other = byName.putIfAbsent(pipeline.name(), pipeline);
            if (other != null) {
                // The API refuses this; a store written to by hand (etcdctl, a migration) may still hold it.
                errors.add(other.kind().kindName() + "/" + other.name() + " and " + pipeline.kind().kindName() + "/" + pipeline.name()
                        + ": two pipelines of one name (delete one)");
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigRejectedException(String.join("; ", errors));
        }
        servers.sort(Comparator.comparing(HttpServerSpec::name));
        return new ConfigObjects(List.copyOf(servers), List.copyOf(pipelines), List.copyOf(data), List.copyOf(registries),
                List.copyOf(globalFilters), Map.copyOf(idFields));
    }
}
