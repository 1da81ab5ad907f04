package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.TestTokens;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The door filters on a real cluster, written as a new user writes them (no jumpIf): a refusal
 * ends the flow on every node; limits are per node, as seed 000 notes, so N nodes with a limit
 * of L admit N × L together; and each node's live state of them (counters, circuits) is
 * visible with egctl describe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DoorIT {

    @RegisterExtension
    static final SharedCluster shared = new SharedCluster();

    private Path work;
    private Cluster cluster;
    private ExampleSetup examples;

    @BeforeAll
    void startCluster(@TempDir Path dir) {
        work = dir;
        examples = new ExampleSetup(work.resolve("objects"));
        cluster = shared.cluster();
    }

    @AfterAll
    void stopBackends() {
        examples.close();
    }

    @Test
    void tenPerSecondOnEachOfThreeNodesAdmitsFiftyPerNodeInFiveSeconds() throws Exception {
        String limiter = ProjectPaths.example("filters/rate-limiter.yaml")
                .replace("http://127.0.0.1:9095", examples.backends.get(0).url());
        assertThat(limiter).as("the example relies on a refusal ending the flow").doesNotContainPattern("(?m)^\\s+jumpIf:");
        String server = ProjectPaths.example("http-server.yaml").replace("port: 10080", "port: " + examples.port)
                + "      - pathPrefix: /api\n        backend: rate-limited-api\n";
        Path file = work.resolve("limited.yaml");
        Files.writeString(file, limiter + "---\n" + server);
        EgctlRun applied = EgctlRun.launcher(cluster.egctl(), "apply", "--wait", "-f", file.toString());
        assertThat(applied.exit()).as(applied.toString()).isZero();

        Map<String, Integer> admitted = new ConcurrentHashMap<>();
        Map<String, Integer> refused = new ConcurrentHashMap<>();
        List<java.util.concurrent.Future<?>> clients = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        for (String node : cluster.nodeIds()) {
            clients.add(pool.submit(() -> {
                try {
                    // Use up the permits in hand, so the window below sees only refills: 5 periods × 10.
                    while (cluster.request(node, examples.port, "/api/orders").statusCode() == 200) {
                        continue;
                    }
                    int ok = 0;
                    int limited = 0;
                    long end = System.nanoTime() + 5_000_000_000L;
                    while (System.nanoTime() < end) {
                        int status = cluster.request(node, examples.port, "/api/orders").statusCode();
                        if (System.nanoTime() > end) {
                            break; // answered after the window (it waited for the next period)
                        }
                        if (status == 200) {
                            ok++;
                        } else if (status == 429) {
                            limited++;
                        } else {
                            throw new AssertionError(node + " answered " + status);
                        }
                    }
                    admitted.put(node, ok);
                    refused.put(node, limited);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        for (java.util.concurrent.Future<?> client : clients) {
            client.get();
        }
        pool.shutdown();

        assertThat(admitted).as("admitted per node").hasSize(3);
        for (String node : cluster.nodeIds()) {
            assertThat(admitted.get(node)).as(node + " admitted").isBetween(45, 55);
            assertThat(refused.get(node)).as(node + " refused").isGreaterThan(100);
        }
        int total = admitted.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).as("the cluster admits about 3 × one node's limit").isBetween(135, 165);
    }

    @Test
    void aJwtValidatorWithoutJumpIfRefusesBadTokensOnEveryNode() throws Exception {
        String secretHex = "612d766572792d7365637265742d6b65792d666f722d74657374732d31323334";
        String validator = ProjectPaths.example("filters/validator-jwt.yaml")
                .replace("http://127.0.0.1:9095", examples.backends.get(1).url());
        assertThat(validator).contains(secretHex).doesNotContainPattern("(?m)^\\s+jumpIf:");
        String server = ProjectPaths.example("http-server.yaml").replace("port: 10080", "port: " + examples.port)
                + "      - pathPrefix: /account\n        backend: jwt-demo\n";
        Path file = work.resolve("jwt.yaml");
        Files.writeString(file, validator + "---\n" + server);
        EgctlRun applied = EgctlRun.launcher(cluster.egctl(), "apply", "--wait", "-f", file.toString());
        assertThat(applied.exit()).as(applied.toString()).isZero();

        byte[] secret = java.util.HexFormat.of().parseHex(secretHex);
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("no token", null);
        refused.put("another key", TestTokens.hs256(TestTokens.claims("alice", 300), "not the secret".getBytes()));
        refused.put("expired", TestTokens.hs256(TestTokens.claims("alice", -60), secret));
        refused.put("alg none", TestTokens.unsigned(TestTokens.claims("alice", 300)));
        String valid = TestTokens.hs256(TestTokens.claims("alice", 300), secret);
        EchoBackend backend = examples.backends.get(1);
        int before = backend.requestCount();
        for (String node : cluster.nodeIds()) {
            for (Map.Entry<String, String> token : refused.entrySet()) {
                var answer = token.getValue() == null
                        ? cluster.request(node, examples.port, "/account", "X-Client", "web")
                        : cluster.request(node, examples.port, "/account", "X-Client", "web", "Authorization", "Bearer " + token.getValue());
                assertThat(answer.statusCode()).as(node + ", " + token.getKey() + ": " + answer.body()).isEqualTo(401);
            }
        }
        assertThat(backend.requestCount()).as("refused requests that reached the backend").isEqualTo(before);
        for (String node : cluster.nodeIds()) {
            var answer = cluster.request(node, examples.port, "/account", "X-Client", "web", "Authorization", "Bearer " + valid);
            assertThat(answer.statusCode()).as(node).isEqualTo(200);
            assertThat(backend.received().get(backend.received().size() - 1).header("X-User")).isEqualTo("alice");
        }
    }

    @Test
    void describeShowsEachNodesCircuitAndCounters() throws Exception {
        EchoBackend failing = examples.backends.get(2);
        String breaker = ProjectPaths.example("filters/circuit-breaker.yaml").replace("http://127.0.0.1:9095", failing.url());
        String server = ProjectPaths.example("http-server.yaml").replace("port: 10080", "port: " + examples.port)
                + "      - pathPrefix: /orders\n        backend: circuit-breaker\n";
        Path file = work.resolve("breaker.yaml");
        Files.writeString(file, breaker + "---\n" + server);
        EgctlRun applied = EgctlRun.launcher(cluster.egctl(), "apply", "--wait", "-f", file.toString());
        assertThat(applied.exit()).as(applied.toString()).isZero();

        failing.answerWith(HttpResponseStatus.INTERNAL_SERVER_ERROR);
        String tripped = cluster.nodeIds().get(0);
        for (int i = 0; i < 5; i++) {
            assertThat(cluster.request(tripped, examples.port, "/orders").statusCode()).isEqualTo(500);
        }
        assertThat(cluster.request(tripped, examples.port, "/orders").statusCode()).isEqualTo(503);
        failing.answerWith(null);

        // Nodes report their live state with each heartbeat (every 2 s); a heartbeat may have left between the
        // fifth failure and the refused sixth request, so wait for one that carries both.
        java.util.regex.Pattern trippedState = java.util.regex.Pattern.compile(tripped + " \\(\\d+s ago\\):\\n\\s+breaker "
                + "\\(CircuitBreaker\\): circuit default \\(policy orders\\): OPEN, failure rate 100% over 5 calls, 1 short-circuited");
        String[] out = new String[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> {
            out[0] = EgctlRun.inProcess(cluster.egctl(), "describe", "hp", "circuit-breaker").out();
            int live = out[0].indexOf("Live state");
            return live >= 0 && trippedState.matcher(out[0]).find()
                    && cluster.nodeIds().stream().allMatch(node -> out[0].indexOf(node + " (", live) > 0);
        });
        String live = out[0].substring(out[0].indexOf("Live state"));
        assertThat(live).containsPattern(trippedState);
        assertThat(live).containsPattern("proxy \\(Proxy\\): main pool: static servers: " + failing.url());
        for (String node : cluster.nodeIds().subList(1, 3)) {
            assertThat(live).containsPattern(node + " \\(\\d+s ago\\):\\n\\s+breaker \\(CircuitBreaker\\): circuit default "
                    + "\\(policy orders\\): CLOSED, failure rate not yet known over 0 calls, 0 short-circuited");
        }
    }
}
