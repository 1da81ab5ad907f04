package io.edgegate.dataplane;

import io.edgegate.dataplane.accesslog.AccessLogConfig;
import io.edgegate.security.TlsFiles;
import io.edgegate.security.TlsProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How a data plane runs: its id, the control planes to try in order, the address its HTTP
 * servers bind (empty: each server's own address, else all interfaces), the admin port
 * (0: none) and the address it binds (its own: metrics describe the topology and face operators, not clients), its data directory, its event-loop threads and which TLS implementation it uses;
 * its certificate, key and the cluster CA for the control channel (empty only with --insecure)
 * and the name the control plane's certificate must carry when not the address dialled; its
 * access log; where its traces go (else the {@code OTEL_*} environment decides) and the share of
 * new traces it samples; whether it keeps metrics at all.
 */
public record DataPlaneConfig(
        String nodeId,
        List<String> controlPlanes,
        Optional<String> listenAddress,
        int adminPort,
        String adminAddress,
        Path dataDir,
        int workerThreads,
        TlsProvider tlsProvider,
        Optional<TlsFiles> controlTls,
        Optional<String> controlPlaneName,
        AccessLogConfig accessLog,
        Optional<String> otlpEndpoint,
        double traceSample,
        boolean metrics) {

    public DataPlaneConfig {
        controlPlanes = List.copyOf(controlPlanes);
    }
}
