package io.edgegate.dataplane;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How a data plane runs: its id, the control planes to try in order, the address its HTTP
 * servers bind (empty: each server's own address, else all interfaces), the admin port
 * (0: none) and its data directory.
 */
public record DataPlaneConfig(
        String nodeId,
        List<String> controlPlanes,
        Optional<String> listenAddress,
        int adminPort,
        Path dataDir,
        int workerThreads) {

    public DataPlaneConfig {
        controlPlanes = List.copyOf(controlPlanes);
    }
}
