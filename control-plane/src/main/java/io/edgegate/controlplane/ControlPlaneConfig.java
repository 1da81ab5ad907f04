package io.edgegate.controlplane;

import io.edgegate.controlplane.etcd.EtcdAccess;
import io.edgegate.controlplane.security.ControlPlaneSecurity;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a control plane runs. With no {@code etcdEndpoints} it starts a local etcd under
 * {@code dataDir}; {@code etcdAccess} says how it proves itself to etcd and checks etcd's certificate.
 */
public record ControlPlaneConfig(
        InetSocketAddress listen,
        List<String> etcdEndpoints,
        Path dataDir,
        String etcdBinary,
        Duration storeTimeout,
        ControlPlaneSecurity security,
        EtcdAccess etcdAccess) {

    public ControlPlaneConfig {
        etcdEndpoints = List.copyOf(etcdEndpoints);
    }
}
