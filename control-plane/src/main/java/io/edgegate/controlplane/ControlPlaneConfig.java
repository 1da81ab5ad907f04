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
 * {@code adminListen} is where /healthz and /metrics are served, if anywhere.
 */
public record ControlPlaneConfig(
        InetSocketAddress listen,
        List<String> etcdEndpoints,
        Path dataDir,
        String etcdBinary,
        Duration storeTimeout,
        ControlPlaneSecurity security,
        EtcdAccess etcdAccess,
        Optional<InetSocketAddress> adminListen) {

    public ControlPlaneConfig {
        etcdEndpoints = List.copyOf(etcdEndpoints);
    }

    /** Without an admin listener. */
    public ControlPlaneConfig(InetSocketAddress listen, List<String> etcdEndpoints, Path dataDir, String etcdBinary,
                              Duration storeTimeout, ControlPlaneSecurity security, EtcdAccess etcdAccess) {
        this(listen, etcdEndpoints, dataDir, etcdBinary, storeTimeout, security, etcdAccess, Optional.empty());
    }
}
