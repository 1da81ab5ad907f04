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
            Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: edgegate-nodes
                        static_configs:
                          - targets: [%s]
                      - job_name: edgegate-control-plane
                        static_configs:
                          - targets: ['%s']
                    """.formatted(String.join(", ", nodeTargets), cluster.controlPlaneAdmin(0)));
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
                assertThat(prometheus.log()).doesNotContain("level=error");
            }
        }
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
