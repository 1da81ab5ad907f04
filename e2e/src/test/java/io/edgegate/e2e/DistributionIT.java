package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.testkit.EchoBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution deploy/dist.sh makes, run as a host without Java would run it: its launchers
 * start the control plane and a data plane on the distribution's own jlink runtime, its egctl
 * applies the examples, and traffic flows. The control plane takes its first admin token from a
 * file made beforehand, as the Kubernetes manifests hand it one from a Secret.
 */
class DistributionIT {

    @Test
    void theDistributionRunsACluster(@TempDir Path dir) throws Exception {
        Process build = new ProcessBuilder(ProjectPaths.root().resolve("deploy/dist.sh").toString(), "--out", dir.resolve("dist").toString())
                .redirectErrorStream(true).start();
        String buildOutput = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(build.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(build.exitValue()).as(buildOutput).isZero();
        Path dist = Path.of(buildOutput.strip().lines().reduce((first, last) -> last).orElseThrow());
        assertThat(dist.resolve("runtime/bin/java")).isExecutable();
        assertThat(dist.getParent().resolve(dist.getFileName() + "-linux-x64.tar.gz")).isNotEmptyFile();

        Path work = dir.resolve("cluster");
        Files.createDirectories(work);
        // Where the cluster's egctl reads its token: the file the control plane is told to adopt.
        String token = "egt_made-beforehand.c2VjcmV0LW1hZGUtYnktdGhlLW9wZXJhdG9yLWJlZm9yZQ";
        Path preset = Files.writeString(work.resolve("admin.token"), token + "\n");
        try (ExampleSetup examples = new ExampleSetup(work.resolve("objects"));
             Cluster cluster = Cluster.startFrom(dist, work, 1, List.of("--initial-admin-token-file", preset.toString()))) {
            assertThat(ProcessHandle.of(cluster.pid("node-1")).orElseThrow().info().command())
                    .as("the data plane runs on the distribution's runtime").contains(dist.resolve("runtime/bin/java").toString());

            EgctlRun applied = EgctlRun.launcherWith(dist.resolve("bin/egctl"), cluster.egctl().environment(work.resolve("no-config.yaml")),
                    examples.applyArgs());
            assertThat(applied.exit()).as(applied.toString()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.request("node-1", examples.port, "/pipeline").statusCode() == 200);
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                served.add(cluster.request("node-1", examples.port, "/pipeline").headers().firstValue(EchoBackend.NAME_HEADER).orElseThrow());
            }
            assertThat(served).hasSize(3);
            assertThat(Files.readString(preset)).as("nothing was written over the token made beforehand").isEqualTo(token + "\n");

            EgctlRun members = EgctlRun.launcherWith(dist.resolve("bin/egctl"), cluster.egctl().environment(work.resolve("no-config.yaml")),
                    "get", "members");
            assertThat(members.out()).containsPattern("node-1\\s+127\\.0\\.0\\.2\\s+Ready");
        }
    }
}
