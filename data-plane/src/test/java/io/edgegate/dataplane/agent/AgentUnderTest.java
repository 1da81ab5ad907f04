package io.edgegate.dataplane.agent;

import io.edgegate.api.v1.NodeHello;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.runtime.LastGoodConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A config agent of a {@link LocalNode}, with a last-good folder of its own, talking to a fake control plane:
 * made before each test, closed after it.
 */
final class AgentUnderTest implements BeforeEachCallback, AfterEachCallback {

    private final LocalNode node;
    private final String nodeId;
    private final boolean startAtOnce;
    private ScheduledExecutorService scheduler;
    private FakeControlPlane controlPlane;
    private ConfigAgent agent;
    private Path dataDir;

    /** An agent the test starts itself. */
    AgentUnderTest(LocalNode node, String nodeId) {
        this(node, nodeId, false);
    }

    private AgentUnderTest(LocalNode node, String nodeId, boolean startAtOnce) {
        this.node = node;
        this.nodeId = nodeId;
        this.startAtOnce = startAtOnce;
    }

    /** An agent already started when the test begins. */
    static AgentUnderTest started(LocalNode node, String nodeId) {
        return new AgentUnderTest(node, nodeId, true);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("edgegate-agent-");
        scheduler = Executors.newSingleThreadScheduledExecutor();
        controlPlane = new FakeControlPlane();
        agent = new ConfigAgent(List.of(controlPlane.target()), NodeHello.newBuilder().setNodeId(nodeId).build(),
                node.updater(), new LastGoodConfig(dataDir), scheduler);
        if (startAtOnce) {
            agent.start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        agent.close();
        controlPlane.close();
        scheduler.shutdownNow();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A temporary folder: what is left goes with the machine's next clean-up.
        }
    }

    ConfigAgent agent() {
        return agent;
    }

    FakeControlPlane controlPlane() {
        return controlPlane;
    }

    Path dataDir() {
        return dataDir;
    }
}
