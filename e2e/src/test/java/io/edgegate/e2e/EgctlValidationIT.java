package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.controlplane.ControlPlane;
import io.edgegate.controlplane.ControlPlaneConfig;
import io.edgegate.testkit.EtcdProcess;
import io.edgegate.testkit.Fixtures;
import io.edgegate.testkit.FreePorts;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input is refused whole, with a message naming the problem and a non-zero exit, and the
 * store is left as it was. egctl runs in-process against a real control plane and etcd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EgctlValidationIT {

    private Path work;
    private EtcdProcess etcd;
    private ControlPlane controlPlane;
    private EgctlTarget server;
    private String storeBefore;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        work = dir;
        etcd = EtcdProcess.start();
        int port = FreePorts.pick();
        // The one e2e test of --insecure: the same egctl behaviour without TLS and tokens.
        server = EgctlTarget.insecure("127.0.0.1:" + port);
        controlPlane = ControlPlane.start(new ControlPlaneConfig(new InetSocketAddress("127.0.0.1", port),
                List.of(etcd.endpoint()), work, "etcd", Duration.ofSeconds(2),
                io.edgegate.controlplane.security.ControlPlaneSecurity.disabled(), io.edgegate.controlplane.etcd.EtcdAccess.none()));
        controlPlane.cache().ready().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() {
        controlPlane.close();
        etcd.close();
    }

    @BeforeEach
    void knownState() {
        EgctlRun applied = egctl(ProjectPaths.example("http-server.yaml") + "---\n" + ProjectPaths.example("pipeline-reverse-proxy.yaml"),
                "apply", "-f", "-");
        assertThat(applied.exit()).as(applied.toString()).isZero();
        storeBefore = store();
    }

    private EgctlRun egctl(String stdin, String... args) {
        return EgctlRun.withStdin(server, stdin, args);
    }

    /** Everything stored, as egctl shows it. */
    private String store() {
        return egctl("", "get", "hs", "-o", "yaml").out() + egctl("", "get", "hp", "-o", "yaml").out()
                + egctl("", "get", "pl", "-o", "yaml").out();
    }

    private void assertRefused(String yaml, String... expectedMessages) {
        // The bad document comes second, after a valid change that must not land either.
        String valid = ProjectPaths.example("http-server.yaml").replace("port: 10080", "port: 10081");
        EgctlRun run = egctl(valid + "---\n" + yaml, "apply", "-f", "-");
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).startsWith("Error: ").contains(expectedMessages);
        assertThat(run.out()).isEmpty();
        assertThat(store()).isEqualTo(storeBefore);
    }

    @Test
    void aYamlSyntaxErrorIsRefused() {
        // Line numbers are the input's own: the bad document starts after the valid one and its marker.
        int line = ProjectPaths.example("http-server.yaml").split("\n").length + 3;
        assertRefused("name: broken\nkind: [HTTPPipeline\n", "<stdin>, document 2: invalid YAML at line " + line + ", column ");
    }

    @Test
    void anUnknownKindIsRefused() {
        assertRefused("name: x\nkind: HTTPPipelin\n", "unknown kind 'HTTPPipelin' (did you mean 'HTTPPipeline'?");
    }

    @Test
    void theSeedsServiceRegistryTypoIsRefusedWithASuggestion() {
        assertRefused(Fixtures.read("seed-000-registry-typo.yaml"),
                "filters[0].mainPool.serviceRegisrty: unknown field 'serviceRegisrty' (did you mean 'serviceRegistry'?)");
        assertRefused(Fixtures.read("seed-000-registry-reference.yaml"),
                "filters[0].mainPool.serviceRegisty: unknown field 'serviceRegisty' (did you mean 'serviceRegistry'?)");
    }

    @Test
    void aFlowNamingAMissingFilterIsRefused() {
        assertRefused(ProjectPaths.example("pipeline-reverse-proxy.yaml").replace("- filter: proxy", "- filter: limiter"),
                "flow[0].filter: filter 'limiter' is not defined in filters (defined: proxy)");
    }

    @Test
    void aServerUrlThatIsNotAUrlIsRefused() {
        assertRefused(ProjectPaths.example("pipeline-reverse-proxy.yaml").replace("http://127.0.0.1:9097", "127.0.0.1:9097"),
                "filters[0].mainPool.servers[2].url: '127.0.0.1:9097' is not a URL");
    }

    @Test
    void aDuplicateNameInOneFileIsRefused() throws Exception {
        Path file = work.resolve("twice.yaml");
        String pipeline = ProjectPaths.example("pipeline-reverse-proxy.yaml");
        Files.writeString(file, pipeline + "---\n" + pipeline.replace("9097", "9098"));

        EgctlRun run = egctl("", "apply", "-f", file.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains(file + ", document 2: HTTPPipeline/pipeline-reverse-proxy is defined twice; first in document 1");
        assertThat(store()).isEqualTo(storeBefore);
    }

    @Test
    void warnModeAppliesWithoutTheUnknownKeys() {
        String typo = ProjectPaths.example("pipeline-reverse-proxy.yaml").replace("policy: roundRobin", "policy: random\n        polcy: x");

        EgctlRun run = egctl(typo, "apply", "--validate=warn", "-f", "-");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.err()).contains("Warning: <stdin>, document 1 (HTTPPipeline/pipeline-reverse-proxy): "
                + "filters[0].mainPool.loadBalance.polcy: unknown field 'polcy' (did you mean 'policy'?); ignored");
        assertThat(run.out()).isEqualTo("HTTPPipeline/pipeline-reverse-proxy configured\n");
        assertThat(egctl("", "get", "hp", "pipeline-reverse-proxy", "-o", "yaml").out()).contains("policy: random").doesNotContain("polcy");
    }

    @Test
    void dryRunWritesNothing() {
        String changed = ProjectPaths.example("http-server.yaml").replace("port: 10080", "port: 10099");

        EgctlRun run = egctl(changed, "apply", "--dry-run", "-f", "-");

        assertThat(run.out()).isEqualTo("HTTPServer/server-demo configured (dry run)\n");
        assertThat(store()).isEqualTo(storeBefore);
    }

    @Test
    void createRefusesExistingAndDeleteRefusesMissing() {
        EgctlRun create = egctl(ProjectPaths.example("http-server.yaml"), "create", "-f", "-");
        assertThat(create.exit()).isEqualTo(1);
        assertThat(create.err()).contains("HTTPServer/server-demo already exists (use 'egctl apply' to change it)");

        EgctlRun delete = egctl("", "delete", "hs", "no-such-server");
        assertThat(delete.exit()).isEqualTo(1);
        assertThat(delete.err()).contains("HTTPServer/no-such-server not found");
        assertThat(store()).isEqualTo(storeBefore);
    }

    @Test
    void getShowsObjectsAsTableYamlAndJson() {
        EgctlRun table = egctl("", "get", "httpservers");
        assertThat(table.out()).containsPattern("HTTPServer\\s+server-demo\\s+\\d+\\s+port 10080, 1 rules, 1 paths");

        EgctlRun yaml = egctl("", "get", "hp", "pipeline-reverse-proxy", "-o", "yaml");
        assertThat(yaml.out()).isEqualTo(ProjectPaths.example("pipeline-reverse-proxy.yaml").replace("      - url", "        - url"));

        EgctlRun json = egctl("", "get", "hs", "server-demo", "-o", "json");
        assertThat(json.out()).contains("\"port\" : 10080");

        EgctlRun unknown = egctl("", "get", "widgets");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown kind 'widgets'");
    }

    @Test
    void anInsecureControlPlaneSaysSoWheneverItsMembersAreListed() {
        EgctlRun table = egctl("", "get", "members");
        assertThat(table.exit()).isZero();
        assertThat(table.err()).contains("Warning: this control plane runs with --insecure: no TLS, no tokens");
        assertThat(egctl("", "get", "members", "-o", "json").out()).contains("\"insecure\" : true");
    }

    @Test
    void anUnreachableControlPlaneIsNamed() {
        EgctlRun run = EgctlRun.inProcess(EgctlTarget.insecure("127.0.0.1:" + FreePorts.pick()), "get", "hs");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("cannot reach the control plane at 127.0.0.1:");
    }

    @Test
    void theLauncherRunsEgctl() {
        EgctlRun run = EgctlRun.launcher(server, "get", "hs", "server-demo", "-o", "yaml");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("kind: HTTPServer\nname: server-demo\n");

        EgctlRun bad = EgctlRun.launcher(server, "apply", "-f", ProjectPaths.root().resolve("no-such-file.yaml").toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("does not exist");
    }
}
