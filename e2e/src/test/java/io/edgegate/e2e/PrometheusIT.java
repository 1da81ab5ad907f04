package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.ManagedProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's package) scrapes the control plane and the three nodes of the
 * shared cluster; PromQL then answers what egctl says: every node runs the store's revision.
 */
class PrometheusIT {

    @RegisterExtension
    static final SharedCluster shared = new SharedCluster();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void prometheusSeesEveryNodeRunTheStoresRevision(@TempDir Path dir) throws Exception {
        Cluster cluster = shared.cluster();
        try (ExampleSetup examples = new ExampleSetup(dir.resolve("objects"))) {
            EgctlRun applied = EgctlRun.inProcess(cluster.egctl(), examples.applyArgs());
            assertThat(applied.exit()).as(applied.toString()).isZero();
            EgctlRun waited = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(1, 2), "apply", "--wait", "-f", "-");
            assertThat(waited.exit()).as(waited.toString()).isZero();

            List<String> nodeTargets = new ArrayList<>();
            for (String node : cluster.nodeIds()) {
                nodeTargets.add("'" + cluster.nodeAdmin(node) + "'");
            }
            Path alerts = ProjectPaths.root().resolve("deploy/prometheus/alerts.yml");
            Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    rule_files: ['%s']
                    scrape_configs:
                      - job_name: edgegate-nodes
                        static_configs:
                          - targets: [%s]
                      - job_name: edgegate-control-plane
                        static_configs:
                          - targets: ['%s']
                    """.formatted(alerts, String.join(", ", nodeTargets), cluster.controlPlaneAdmin(0)));
            for (String node : cluster.nodeIds()) {
                for (int i = 0; i < 5; i++) {
                    assertThat(cluster.request(node, examples.port, "/pipeline").statusCode()).isEqualTo(200);
                }
            }
            int port = FreePorts.pick();
            try (ManagedProcess prometheus = cluster.launch("prometheus", List.of("prometheus",
                    "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                    "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"))) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
                    JsonNode store = query(port, "edgegate_store_revision");
                    assertThat(store).hasSize(1);
                    double revision = store.get(0).get("value").get(1).asDouble();
                    JsonNode nodes = query(port, "edgegate_node_applied_revision");
                    assertThat(nodes).hasSize(3);
                    for (JsonNode node : nodes) {
                        assertThat(node.get("value").get(1).asDouble()).as(node.get("metric").toString()).isEqualTo(revision);
                    }
                    assertThat(query(port, "sum(edgegate_cluster_nodes{state=\"ready\"})").get(0).get("value").get(1).asDouble())
                            .isEqualTo(3.0);
                    assertThat(query(port, "up{job=\"edgegate-nodes\"} == 1")).hasSize(3);
                });
                dashboardQueriesWorkAndNameRealMetrics(port);
                alertRulesAreLoadedAndHealthy(port);
                assertThat(prometheus.log()).doesNotContain("level=error");
            }
        }
    }

    @Test
    void egctlTopShowsTheNodeUnderLoadAndTheIdleOnes(@TempDir Path dir) throws Exception {
        Cluster cluster = shared.cluster();
        try (ExampleSetup examples = new ExampleSetup(dir.resolve("objects"))) {
            EgctlRun applied = EgctlRun.withStdin(cluster.egctl(), examples.pipelineOver(1, 2, 3), "apply", "--wait", "-f", "-");
            assertThat(applied.exit()).as(applied.toString()).isZero();
            assertThat(EgctlRun.inProcess(cluster.egctl(), examples.applyArgs()).exit()).isZero();
            String busy = cluster.nodeIds().get(0);
            cluster.awaitServing(busy);
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.portOpen(busy, examples.port));
            try (LoadLoop load = LoadLoop.start(List.of(new java.net.InetSocketAddress(cluster.address(busy), examples.port)),
                    "/pipeline", 2)) {
                // Heartbeats come every 2 s: within two of them the busy node reports a full window under load.
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    EgctlRun top = EgctlRun.inProcess(cluster.egctl(), "top", "-o", "json");
                    assertThat(top.exit()).as(top.toString()).isZero();
                    JsonNode nodes = json.readTree(top.out()).get("nodes");
                    assertThat(nodes).hasSize(cluster.nodeIds().size());
                    for (JsonNode node : nodes) {
                        JsonNode traffic = node.get("traffic");
                        assertThat(traffic.isNull()).as(node.toString()).isFalse();
                        if (node.get("node").asText().equals(busy)) {
                            assertThat(traffic.get("requestsPerSecond").asDouble()).as(node.toString()).isGreaterThan(10);
                            assertThat(traffic.get("serverErrorRatio").asDouble()).isZero();
                            assertThat(traffic.get("p99Seconds").asDouble()).isPositive();
                            assertThat(traffic.get("activeConnections").asLong()).isGreaterThanOrEqualTo(2);
                        } else {
                            assertThat(traffic.get("requestsPerSecond").asDouble()).as(node.toString()).isZero();
                            assertThat(traffic.get("p99Seconds").isNull()).isTrue();
                        }
                    }
                });
                EgctlRun table = EgctlRun.inProcess(cluster.egctl(), "top");
                assertThat(table.out()).startsWith("NODE").contains("REQ/S").contains(busy);
            }
        }
    }

    /**
     * Every query of deploy/grafana's dashboard is valid PromQL against real scrapes, and every
     * metric it names exists there (the two that need a TLS server or a circuit are named as our
     * unit tests check them).
     */
    private void dashboardQueriesWorkAndNameRealMetrics(int port) throws Exception {
        JsonNode dashboard = json.readTree(ProjectPaths.root().resolve("deploy/grafana/edgegate-dashboard.json").toFile());
        java.util.Set<String> known = new java.util.HashSet<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            known.clear();
            json.readTree(get(port, "/api/v1/label/__name__/values")).get("data").forEach(n -> known.add(n.asText()));
            // Scraped once traffic was counted and the propagation histogram has an observation.
            assertThat(known).contains("edgegate_upstream_request_duration_seconds_bucket", "edgegate_config_propagation_seconds_bucket",
                    "edgegate_upstream_up");
        });
        java.util.Set<String> conditional = java.util.Set.of("edgegate_tls_certificate_expiry_seconds", "edgegate_upstream_circuit_state",
                "edgegate_upstream_errors_total");
        java.util.regex.Pattern metric = java.util.regex.Pattern.compile("\\b(edgegate_[a-z_]+|jvm_[a-z_]+)\\b");
        int queries = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                String expr = target.get("expr").asText();
                query(port, expr.replace("$__rate_interval", "1m").replace("$node", ".*"));
                java.util.regex.Matcher names = metric.matcher(expr);
                while (names.find()) {
                    assertThat(known.contains(names.group(1)) || conditional.contains(names.group(1)))
                            .as(panel.get("title").asText() + " names " + names.group(1)).isTrue();
                }
                queries++;
            }
        }
        assertThat(queries).isGreaterThan(20);
        // rate() needs two scrapes of the counter: wait for the second rather than assume it came.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
                assertThat(query(port, "sum(rate(edgegate_http_requests_total{code=\"200\"}[1m]))")).isNotEmpty());
    }

    /** deploy/prometheus/alerts.yml loads and every rule evaluates without error. */
    private void alertRulesAreLoadedAndHealthy(int port) throws Exception {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            JsonNode groups = json.readTree(get(port, "/api/v1/rules")).get("data").get("groups");
            assertThat(groups).hasSize(1);
            JsonNode rules = groups.get(0).get("rules");
            assertThat(rules.size()).isGreaterThanOrEqualTo(9);
            for (JsonNode rule : rules) {
                assertThat(rule.get("health").asText()).as(rule.toString()).isEqualTo("ok");
            }
        });
    }

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The result vector of an instant PromQL query. */
    private JsonNode query(int port, String promql) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("status").asText()).as(response.body()).isEqualTo("success");
        return body.get("data").get("result");
    }
}
