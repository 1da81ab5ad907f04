package io.edgegate.e2e;

import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tour's objects for a test cluster: three echo backends on free ports, an HTTP port
 * free on every node address, and the example files with only those ports moved.
 */
final class ExampleSetup implements AutoCloseable {

    static final String[] NODE_ADDRESSES = {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"};

    final List<EchoBackend> backends = new ArrayList<>();
    final int port;
    final Path serverFile;
    final Path pipelineFile;

    ExampleSetup(Path dir) {
        for (int i = 0; i < 3; i++) {
            backends.add(EchoBackend.start("backend-" + (i + 1)));
        }
        port = FreePorts.pickOnAll(NODE_ADDRESSES);
        serverFile = ProjectPaths.exampleVariant(dir, "http-server.yaml", Map.of("port: 10080", "port: " + port));
        pipelineFile = ProjectPaths.exampleVariant(dir, "pipeline-reverse-proxy.yaml", Map.of(
                "http://127.0.0.1:9095", backends.get(0).url(),
                "http://127.0.0.1:9096", backends.get(1).url(),
                "http://127.0.0.1:9097", backends.get(2).url()));
    }

    /** The example pipeline balancing over the given backends (1-based). */
    String pipelineOver(int... backendNumbers) {
        StringBuilder servers = new StringBuilder();
        for (int n : backendNumbers) {
            servers.append("      - url: ").append(backends.get(n - 1).url()).append('\n');
        }
        return ProjectPaths.example("pipeline-reverse-proxy.yaml")
                .replaceAll("(?s)      servers:\\n.*?      loadBalance:", "      servers:\n" + servers + "      loadBalance:");
    }

    String[] applyArgs() {
        return new String[] {"apply", "-f", serverFile.toString(), "-f", pipelineFile.toString()};
    }

    @Override
    public void close() {
        backends.forEach(EchoBackend::close);
    }
}
