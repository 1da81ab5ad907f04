package io.edgegate.controlplane;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a control plane runs. With no {@code etcdEndpoints} it starts a local etcd under
 * {@code dataDir}.
 */
public record ControlPlaneConfig(
        InetSocketAddress listen,
        List<String> etcdEndpoints,
        Path dataDir,
        String etcdBinary,
        Duration storeTimeout) {

    public ControlPlaneConfig {
        etcdEndpoints = List.copyOf(etcdEndpoints);
    }
}
