package io.edgegate.dataplane.runtime;

import io.edgegate.dataplane.pipeline.PipelineBuilder.Generation;
import io.edgegate.dataplane.registry.RunningRegistry;
import io.edgegate.dataplane.server.ServerState;
import io.edgegate.dataplane.tls.ServerTls;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.customdata.CustomDataSpec;
import io.edgegate.spec.server.tls.TlsSpec;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Everything a node serves at one config version, immutable: each listener's state (routes,
 * pipelines, TLS) by address, the pipelines' filters, the custom data and the service
 * registries' clients. The node holds one reference to it ({@link CurrentRuntime}); applying a
 * config builds a new one completely, then swaps the reference, so a request sees one version
 * from start to end and no part of a config goes into service without the rest.
 */
public record NodeRuntime(String epoch, long revision, Map<InetSocketAddress, ServerState> servers, Generation generation,
                          Map<String, CustomDataSpec> customData, Map<String, RunningRegistry> registries,
                          Map<TlsSpec, ServerTls> tls, Map<String, ObjectKind> pipelineKinds,
                          Map<String, String> customDataIdFields) {

    public static final NodeRuntime EMPTY = new NodeRuntime("", 0, Map.of(), Generation.EMPTY, Map.of(), Map.of(), Map.of(),
            Map.of(), Map.of());

    public NodeRuntime {
        servers = Map.copyOf(servers);
        customData = Map.copyOf(customData);
        registries = Map.copyOf(registries);
        tls = Map.copyOf(tls);
        pipelineKinds = Map.copyOf(pipelineKinds);
        customDataIdFields = Map.copyOf(customDataIdFields);
    }

    /** The state the listener on {@code address} serves, or null if this config has none there. */
    public ServerState serverAt(InetSocketAddress address) {
        return servers.get(address);
    }
}
