package io.edgegate.controlplane;

import io.edgegate.controlplane.etcd.EtcdAccess;
import io.edgegate.controlplane.security.ControlPlaneSecurity;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a control plane runs. With no {@code etcdEndpoints} it starts a local etcd under
 * {@code dataDir}; {@code etcdAccess} says how it proves itself to etcd and checks etcd's certificate;
 * {@code adminListen} is where /healthz and /metrics are served, if anywhere; every
 * {@code historyCompaction} etcd's history is compacted to what it was one such interval before (zero: never).
 */
public record ControlPlaneConfig(
        InetSocketAddress listen,
        List<String> etcdEndpoints,
        Path dataDir,
        String etcdBinary,
        Duration storeTimeout,
        ControlPlaneSecurity security,
        EtcdAccess etcdAccess,
        Optional<InetSocketAddress> adminListen,
        Duration historyCompaction) {

    /** As Kubernetes' API server compacts etcd's history. */
    public static final Duration DEFAULT_HISTORY_COMPACTION = Duration.ofMinutes(5);

    public ControlPlaneConfig {
        if (historyCompaction.isNegative()) {
            throw new IllegalArgumentException("--etcd-compaction-interval cannot be negative");
        }
        etcdEndpoints = List.copyOf(etcdEndpoints);
    }

    /** Without an admin listener. */
    public ControlPlaneConfig(InetSocketAddress listen, List<String> etcdEndpoints, Path dataDir, String etcdBinary,
                              Duration storeTimeout, ControlPlaneSecurity security, EtcdAccess etcdAccess) {
        this(listen, etcdEndpoints, dataDir, etcdBinary, storeTimeout, security, etcdAccess, Optional.empty());
    }

    /** Compacting etcd's history every {@link #DEFAULT_HISTORY_COMPACTION}. */
    public ControlPlaneConfig(InetSocketAddress listen, List<String> etcdEndpoints, Path dataDir, String etcdBinary,
                              Duration storeTimeout, ControlPlaneSecurity security, EtcdAccess etcdAccess,
                              Optional<InetSocketAddress> adminListen) {
        this(listen, etcdEndpoints, dataDir, etcdBinary, storeTimeout, security, etcdAccess, adminListen, DEFAULT_HISTORY_COMPACTION);
    }
}
