package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Easegress's API-aggregation tutorial on a real cluster: the example applied with egctl, and
 * every node calls the three services through namespaces and answers the merged JSON the
 * tutorial documents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AggregationIT {

    @RegisterExtension
    static final SharedCluster shared = new SharedCluster();

    private Path work;
    private Cluster cluster;
    private ExampleSetup examples;

    @BeforeAll
    void start(@TempDir Path dir) {
        work = dir;
        examples = new ExampleSetup(work.resolve("objects"));
        cluster = shared.cluster();
    }

    @AfterAll
    void stopBackends() {
        examples.close();
    }

    @Test
    void everyNodeAnswersTheMergedJsonOfTheThreeServices() throws Exception {
        examples.backends.get(0).answerJson("{\"mega\":\"ease\"}");
        examples.backends.get(1).answerJson("{\"hello\":\"world\"}");
        examples.backends.get(2).answerJson("{\"hello\":\"new world\"}");
        String pipeline = ProjectPaths.example("filters/api-aggregation.yaml")
                .replace("http://127.0.0.1:9095", examples.backends.get(0).url())
                .replace("http://127.0.0.1:9096", examples.backends.get(1).url())
                .replace("http://127.0.0.1:9097", examples.backends.get(2).url());
        String server = ProjectPaths.example("http-server.yaml").replace("port: 10080", "port: " + examples.port)
                + "      - pathPrefix: /api\n        backend: pipeline-api\n";
        Path file = work.resolve("aggregation.yaml");
        Files.writeString(file, pipeline + "---\n" + server);

        EgctlRun applied = EgctlRun.launcher(cluster.egctl(), "apply", "--wait", "-f", file.toString());
        assertThat(applied.exit()).as(applied.toString()).isZero();

        for (String node : cluster.nodeIds()) {
            HttpResponse<String> response = cluster.request(node, examples.port, "/api");
            assertThat(response.statusCode()).as(node).isEqualTo(200);
            assertThat(response.body()).as(node).isEqualTo("{\"hello\":\"new world\",\"mega\":\"ease\"}\n");
        }
        int nodes = cluster.nodeIds().size();
        assertThat(nodes).isEqualTo(3);
        examples.backends.forEach(backend -> assertThat(backend.requestCount()).isEqualTo(nodes));
    }
}
