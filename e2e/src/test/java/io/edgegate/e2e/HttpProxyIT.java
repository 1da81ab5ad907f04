package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.testkit.EchoBackend;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Easegress's quick start on a real cluster: {@code egctl create httpproxy} with the launcher, and
 * every node serves what its rules say, without a YAML file written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpProxyIT {

    @RegisterExtension
    static final SharedCluster shared = new SharedCluster();

    private Cluster cluster;
    private ExampleSetup examples;

    @BeforeAll
    void start(@TempDir Path dir) {
        examples = new ExampleSetup(dir);
        cluster = shared.cluster();
    }

    @AfterAll
    void stopBackends() {
        examples.close();
    }

    @Test
    void everyNodeRoutesAsTheRulesOfCreateHttpProxySay() throws Exception {
        EgctlRun created = EgctlRun.launcher(cluster.egctl(), "create", "httpproxy", "demo", "--port", String.valueOf(examples.port),
                "--rule", "/pipeline=" + examples.backends.get(0).url() + "," + examples.backends.get(1).url(),
                "--rule", "/api*=" + examples.backends.get(2).url(), "--wait");

        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out()).contains("HTTPServer/demo created", "Pipeline/demo-0 created", "Pipeline/demo-1 created");
        for (String node : cluster.nodeIds()) {
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = cluster.request(node, examples.port, "/pipeline");
                assertThat(response.statusCode()).as(node).isEqualTo(200);
                served.add(response.headers().firstValue(EchoBackend.NAME_HEADER).orElseThrow());
            }
            // Round-robin over the rule's two endpoints; the prefix rule's one endpoint for anything under /api.
            assertThat(served).as(node).containsExactlyInAnyOrder("backend-1", "backend-2");
            assertThat(cluster.request(node, examples.port, "/api/v1/orders").headers().firstValue(EchoBackend.NAME_HEADER))
                    .as(node).hasValue("backend-3");
            assertThat(cluster.request(node, examples.port, "/pipeline/more").statusCode()).as(node).isEqualTo(404);
        }
    }
}
