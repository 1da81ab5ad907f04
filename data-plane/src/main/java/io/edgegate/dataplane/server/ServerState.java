package io.edgegate.dataplane.server;

import io.edgegate.dataplane.accesslog.AccessLog;
import io.edgegate.dataplane.metrics.RequestMeters;
import io.edgegate.dataplane.net.ClientAddresses;
import io.edgegate.dataplane.pipeline.Pipelines;
import io.edgegate.dataplane.pipeline.ServerSettings;
import io.edgegate.dataplane.route.RouteTable;
import io.edgegate.dataplane.tls.ServerTls;
import io.edgegate.dataplane.tracing.Tracing;
import io.edgegate.spec.globalfilter.GlobalFilterSpec;
import io.edgegate.spec.server.HttpServerSpec;
import java.util.Optional;

/**
 * Everything a listener needs to serve a request under one config generation. A request
 * reads it once, so it sees one consistent generation from start to end.
 */
public record ServerState(HttpServerSpec spec, RouteTable routes, Pipelines pipelines, ServerSettings settings,
                          Optional<ServerTls> tls, RequestMeters meters, AccessLog accessLog,
                          Tracing tracing, GlobalFlow globalFlow) {

    public static ServerState of(HttpServerSpec spec, Pipelines pipelines, Optional<ServerTls> tls, RequestMeters meters,
                                 AccessLog accessLog, Tracing tracing) {
        return of(spec, RouteTable.of(spec), pipelines, tls, meters, accessLog, tracing, Optional.empty());
    }

    /**
     * @param routes      the spec's route table ({@link RouteTable#of}), built before or now
     * @param globalFilter the GlobalFilter the server names, when the config has it
     */
    public static ServerState of(HttpServerSpec spec, RouteTable routes, Pipelines pipelines, Optional<ServerTls> tls,
                                 RequestMeters meters, AccessLog accessLog, Tracing tracing, Optional<GlobalFilterSpec> globalFilter) {
        return new ServerState(spec, routes, pipelines,
                new ServerSettings(spec.name(), spec.xForwardedFor(), ClientAddresses.trusting(spec.trustedProxies())), tls, meters,
                accessLog, tracing, globalFilter.map(g -> GlobalFlow.of(g, pipelines)).orElse(null));
    }
}
