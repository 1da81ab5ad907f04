package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.TcpRelay;
import java.net.InetSocketAddress;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node cut off from the control plane while its clients still reach it. Half-dead: its stream
 * stays open but nothing gets through either way, as when a link drops packets silently
 * (APISIX#11390, Envoy#21107 were found this way). Partitioned: the node runs on a host of its own
 * (a network namespace) whose link to the control plane is taken down, while its clients and
 * upstream reach it over another link. Either way the status egctl prints must not claim more than
 * is true — the node is listed Disconnected within seconds, not Ready — it keeps serving its config
 * meanwhile, and once the link is back it catches up with what changed, by itself.
 */
class LinkFaultsIT {

    private static final String NODE = "node-far";
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aNodeBehindASilentLinkIsShownDisconnectedKeepsServingAndCatchesUpWhenItHeals(@TempDir Path dir) throws Exception {
        try (ExampleSetup examples = new ExampleSetup(dir.resolve("objects"));
             Cluster cluster = Cluster.start(dir, 0);
             TcpRelay link = TcpRelay.to("127.0.0.1", cluster.controlPlanePort())) {
            cluster.addDataPlaneThrough(NODE, "127.0.0.2", link);
            cluster.awaitServing(NODE);
            assertThat(EgctlRun.inProcess(cluster.egctl(), examples.applyArgs()).exit()).isZero();
            await().atMost(Duration.ofSeconds(10)).ignoreException(ConnectException.class).until(() -> cluster.request(NODE, examples.port, "/pipeline").statusCode() == 200);

            LoadLoop load = LoadLoop.start(List.of(new InetSocketAddress("127.0.0.2", examples.port)), "/pipeline", 2);
            try {
                link.stall();
                long stalledAt = System.nanoTime();
                // A change the node cannot hear about while its link is silent: until the silence is noticed the
                // node is listed Behind (connected, not on the latest revision), never Ready.
                Path extra = Files.writeString(dir.resolve("extra.yaml"),
                        "kind: HTTPPipeline\nname: while-away\nfilters:\n  - name: mock\n    kind: Mock\n    rules:\n      - code: 204\n");
                EgctlRun applied = EgctlRun.inProcess(cluster.egctl(), "apply", "-f", extra.toString());
                assertThat(applied.exit()).as(applied.toString()).isZero();
                long revision = members(cluster).path("revision").asLong();
                // The silence is noticed 5-8 s after it began; the apply took well under that.
                assertThat(member(cluster).path("state").asText()).isEqualTo("Behind");

                // Nodes promise a heartbeat every 2 s; a stream silent for three of them and a second is closed.
                await().atMost(Duration.ofSeconds(9)).pollInterval(Duration.ofMillis(250))
                        .until(() -> member(cluster).path("state").asText().equals("Disconnected"));
                long noticedMillis = (System.nanoTime() - stalledAt) / 1_000_000;
                System.out.println("half-dead stream noticed after " + noticedMillis + " ms");
                assertThat(EgctlRun.inProcess(cluster.egctl(), "get", "members").out())
                        .containsPattern(NODE + "\\s+127\\.0\\.0\\.2\\s+Disconnected");

                link.heal();
                long healedAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    JsonNode m = member(cluster);
                    return m.path("state").asText().equals("Ready") && m.path("appliedRevision").asLong() == revision;
                });
                System.out.println("caught up with revision " + revision + " " + (System.nanoTime() - healedAt) / 1_000_000
                        + " ms after the link healed");
            } finally {
                load.close();
            }
            assertThat(load.failed()).as("the node kept serving its config: " + load).isZero();
            assertThat(load.succeeded()).isPositive();
        }
    }

    @Test
    void aNodePartitionedFromTheControlPlaneKeepsServingIsShownDisconnectedAndCatchesUpWithin5sOfHealing(@TempDir Path dir)
            throws Exception {
        try (NetnsHost host = NetnsHost.create()) {
            NetnsHost.Link control = host.link();
            NetnsHost.Link traffic = host.link();
            try (EchoBackend backend = EchoBackend.start("far-backend", traffic.hostAddress(), FreePorts.pick(traffic.hostAddress()));
                 Cluster cluster = Cluster.startListeningEverywhere(dir)) {
                cluster.addDataPlaneIn(host, NODE, control, traffic);
                cluster.awaitServing(NODE);
                int port = FreePorts.pick();
                Path objects = Files.writeString(dir.resolve("far.yaml"), """
                        kind: HTTPServer
                        name: far-server
                        port: %d
                        rules:
                          - paths:
                              - pathPrefix: /
                                backend: far-pipeline
                        ---
                        kind: HTTPPipeline
                        name: far-pipeline
                        filters:
                          - name: proxy
                            kind: Proxy
                            mainPool:
                              servers: [{url: 'http://%s:%d'}]
                        """.formatted(port, traffic.hostAddress(), backend.port()));
                assertThat(EgctlRun.inProcess(cluster.egctl(), "apply", "-f", objects.toString()).exit()).isZero();
                await().atMost(Duration.ofSeconds(10)).ignoreException(ConnectException.class).until(() -> cluster.request(NODE, port, "/").statusCode() == 200);

                LoadLoop load = LoadLoop.start(List.of(new InetSocketAddress(traffic.namespaceAddress(), port)), "/", 2);
                try {
                    ConsoleClient console = ConsoleClient.loggedIn(cluster, "partition-viewer");
                    host.down(control);
                    long cutAt = System.nanoTime();
                    await().atMost(Duration.ofSeconds(9)).pollInterval(Duration.ofMillis(250))
                            .until(() -> member(cluster).path("state").asText().equals("Disconnected"));
                    System.out.println("partition noticed after " + (System.nanoTime() - cutAt) / 1_000_000 + " ms");
                    assertThat(EgctlRun.inProcess(cluster.egctl(), "get", "members").out()).containsPattern(NODE + "\\s+\\S+\\s+Disconnected");
                    assertThat(console.node(NODE).path("state").asText()).isEqualTo("DISCONNECTED");

                    Path extra = Files.writeString(dir.resolve("extra.yaml"),
                            "kind: HTTPPipeline\nname: while-cut-off\nfilters:\n  - name: mock\n    kind: Mock\n    rules:\n      - code: 204\n");
                    assertThat(EgctlRun.inProcess(cluster.egctl(), "apply", "-f", extra.toString()).exit()).isZero();
                    long revision = members(cluster).path("revision").asLong();
                    // The partition lasts 10 s, as the operator would see it; the node stays listed Disconnected.
                    long left = Duration.ofSeconds(10).toNanos() - (System.nanoTime() - cutAt);
                    if (left > 0) {
                        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(left);
                    }
                    assertThat(member(cluster).path("state").asText()).isEqualTo("Disconnected");

                    host.up(control);
                    long healedAt = System.nanoTime();
                    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
                        JsonNode m = member(cluster);
                        return m.path("state").asText().equals("Ready") && m.path("appliedRevision").asLong() == revision;
                    });
                    System.out.println("caught up with revision " + revision + " " + (System.nanoTime() - healedAt) / 1_000_000
                            + " ms after the link came back");
                    assertThat(console.node(NODE).path("state").asText()).isEqualTo("READY");
                } finally {
                    load.close();
                }
                assertThat(load.failed()).as("the node kept serving: " + load).isZero();
                assertThat(load.succeeded()).isPositive();
            }
        }
    }

    private JsonNode members(Cluster cluster) throws Exception {
        EgctlRun run = EgctlRun.inProcess(cluster.egctl(), "get", "members", "-o", "json");
        assertThat(run.exit()).as(run.toString()).isZero();
        return json.readTree(run.out());
    }

    private JsonNode member(Cluster cluster) throws Exception {
        for (JsonNode m : members(cluster).path("members")) {
            if (m.path("node").asText().equals(NODE)) {
                return m;
            }
        }
        throw new AssertionError(NODE + " is not listed");
    }
}
