package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/local-cluster.sh as an operator runs it (on ports of its own, beside anything else):
 * secure by default, and bin/egctl finds its CA and admin token by itself.
 */
class LocalClusterIT {

    @Test
    void theLocalClusterIsSecureByDefaultAndEgctlFindsItsConfig(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("cluster");
        int controlPlanePort = FreePorts.pick();
        Map<String, String> env = Map.of(
                "EDGEGATE_CLUSTER_DIR", state.toString(),
                "EDGEGATE_CONTROL_PLANE_PORT", String.valueOf(controlPlanePort),
                "EDGEGATE_ADMIN_PORT", String.valueOf(FreePorts.pick("127.0.0.2")));
        try {
            Result up = script(env, dir.resolve("up.log"), "up", "--data-planes", "1", "--no-examples");
            assertThat(up.exit()).as(up.output()).isZero();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("pki/ca-key.pem")))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("admin.token")))).isEqualTo("rw-------");

            // bin/egctl from the project: the cluster's CA and admin token without a flag.
            EgctlRun members = EgctlRun.launcherWith(Map.of("EDGEGATE_CLUSTER_DIR", state.toString()), "get", "members");
            assertThat(members.exit()).as(members.toString()).isZero();
            assertThat(members.out()).containsPattern("node-1\\s+127\\.0\\.0\\.2\\s+Ready");

            String server = "127.0.0.1:" + controlPlanePort;
            Map<String, String> config = Map.of("EGCTL_CONFIG", state.resolve("egctl.yaml").toString());
            Map<String, String> noToken = Map.of("EGCTL_CONFIG", dir.resolve("none.yaml").toString(), "EGCTL_SERVER", server,
                    "EGCTL_CA", state.resolve("pki/ca.pem").toString());
            EgctlRun anonymous = EgctlRun.withEnvironment(noToken, "get", "hp");
            assertThat(anonymous.exit()).isEqualTo(1);
            assertThat(anonymous.err()).startsWith("Error: unauthenticated");

            EgctlRun created = EgctlRun.withEnvironment(config, "token", "create", "--role", "viewer", "--name", "tour-viewer");
            assertThat(created.exit()).as(created.toString()).isZero();
            Map<String, String> viewer = new HashMap<>(noToken);
            viewer.put("EGCTL_TOKEN", created.out().strip());
            assertThat(EgctlRun.withEnvironment(viewer, "get", "hp").exit()).isZero();
            EgctlRun watch = EgctlRun.withEnvironment(viewer, "watch", "--timeout", "500ms");
            assertThat(watch.exit()).as(watch.toString()).isZero();
            EgctlRun apply = EgctlRun.withEnvironment(viewer, "apply", "-f", ProjectPaths.root().resolve("examples/http-server.yaml").toString());
            assertThat(apply.exit()).isEqualTo(1);
            assertThat(apply.err()).startsWith("Error: permission denied: role viewer cannot apply");

            assertThat(EgctlRun.withEnvironment(config, "token", "revoke", "tour-viewer").exit()).isZero();
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                    .until(() -> EgctlRun.withEnvironment(viewer, "get", "hp").err().startsWith("Error: unauthenticated"));

            // etcd serves TLS and takes only clients with a certificate of the local CA; no log holds the token.
            int etcdPort = Integer.parseInt(Files.readString(state.resolve("logs/control-plane.log"))
                    .replaceAll("(?s).*?store: etcd at https://127\\.0\\.0\\.1:(\\d+).*", "$1"));
            try (io.etcd.jetcd.Client withoutCertificate = io.edgegate.controlplane.store.EtcdStore.connect(
                    List.of("https://127.0.0.1:" + etcdPort), new io.edgegate.controlplane.etcd.EtcdAccess(
                            java.util.Optional.of(state.resolve("pki/ca.pem")), java.util.Optional.empty(), java.util.Optional.empty(),
                            java.util.Optional.empty(), java.util.Optional.empty()))) {
                assertThat(withoutCertificate.getKVClient().get(io.etcd.jetcd.ByteSequence.from("k", java.nio.charset.StandardCharsets.UTF_8)))
                        .failsWithin(Duration.ofSeconds(10));
            }
            String token = Files.readString(state.resolve("admin.token")).strip();
            try (var logs = Files.list(state.resolve("logs"))) {
                for (Path file : logs.toList()) {
                    assertThat(Files.readString(file)).as(file.toString()).doesNotContain(token);
                }
            }
        } finally {
            script(env, dir.resolve("down.log"), "down", "--purge");
        }
        assertThat(state).doesNotExist();
    }

    /**
     * {@code up --hosts}: each node a host of its own (a network namespace with a control and a traffic
     * link). A node cut off from the control plane for 10 s under load keeps serving, is listed
     * Disconnected within that time, and runs the latest revision within 5 s of healing; {@code down}
     * leaves no namespace or bridge behind.
     */
    @Test
    void withHostsEachNodeIsAHostOfItsOwnAndAPartitionIsShownAndHeals(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("cluster");
        String net = "10." + java.util.concurrent.ThreadLocalRandom.current().nextInt(60, 100);
        Map<String, String> env = Map.of(
                "EDGEGATE_CLUSTER_DIR", state.toString(),
                "EDGEGATE_CONTROL_PLANE_PORT", String.valueOf(FreePorts.pick()),
                "EDGEGATE_HOSTS_NET", net);
        Map<String, String> egctl = Map.of("EGCTL_CONFIG", state.resolve("egctl.yaml").toString());
        String far = net + ".0.12";
        try {
            Result up = script(env, dir.resolve("up.log"), "up", "--hosts", "--data-planes", "2");
            assertThat(up.exit()).as(up.output()).isZero();
            assertThat(up.output()).contains("curl http://" + far + ":10080/pipeline");
            assertThat(namespacesTagged(namespaces(), tag(state))).hasSize(2);
            EgctlRun members = EgctlRun.withEnvironment(egctl, "get", "members");
            assertThat(members.out()).containsPattern("node-1\\s+" + net.replace(".", "\\.") + "\\.0\\.11\\s+Ready")
                    .containsPattern("node-2\\s+" + net.replace(".", "\\.") + "\\.0\\.12\\s+Ready");

            java.util.regex.Matcher consoleUrl = java.util.regex.Pattern.compile("Cluster console: +http://(\\S+)/ui/").matcher(up.output());
            assertThat(consoleUrl.find()).as(up.output()).isTrue();
            EgctlRun viewer = EgctlRun.withEnvironment(egctl, "token", "create", "--role", "viewer", "--name", "hosts-viewer");
            assertThat(viewer.exit()).as(viewer.toString()).isZero();
            ConsoleClient console = ConsoleClient.loggedIn(consoleUrl.group(1), viewer.out().strip());
            try (LoadLoop load = LoadLoop.start(List.of(new java.net.InetSocketAddress(far, 10080)), "/pipeline", 2)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> load.succeeded() > 0);
                Result cut = script(env, dir.resolve("partition.log"), "partition", "node-2");
                assertThat(cut.exit()).as(cut.output()).isZero();
                long cutAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(9)).pollInterval(Duration.ofMillis(250)).until(() ->
                        EgctlRun.withEnvironment(egctl, "get", "members").out().matches("(?s).*node-2\\s+\\S+\\s+Disconnected.*"));
                Path extra = Files.writeString(dir.resolve("extra.yaml"),
                        "kind: HTTPPipeline\nname: while-cut-off\nfilters:\n  - name: mock\n    kind: Mock\n    rules:\n      - code: 204\n");
                EgctlRun changed = EgctlRun.withEnvironment(egctl, "apply", "-f", extra.toString());
                assertThat(changed.exit()).as(changed.toString()).isZero();
                long left = Duration.ofSeconds(10).toNanos() - (System.nanoTime() - cutAt);
                if (left > 0) {
                    TimeUnit.NANOSECONDS.sleep(left); // the partition lasts 10 s
                }
                assertThat(EgctlRun.withEnvironment(egctl, "get", "members").out()).containsPattern("node-2\\s+\\S+\\s+Disconnected");
                assertThat(console.node("node-2").path("state").asText()).isEqualTo("DISCONNECTED");

                Result healed = script(env, dir.resolve("heal.log"), "heal", "node-2");
                assertThat(healed.exit()).as(healed.output()).isZero();
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() ->
                        EgctlRun.withEnvironment(egctl, "get", "members").out().matches("(?s).*node-2\\s+\\S+\\s+Ready\\s+.*"));
                assertThat(console.node("node-2").path("state").asText()).isEqualTo("READY");
                assertThat(load.failed()).as("node-2 kept serving: " + load).isZero();
            }
        } finally {
            Result down = script(env, dir.resolve("down.log"), "down", "--purge");
            assertThat(down.exit()).as(down.output()).isZero();
        }
        assertThat(namespacesTagged(namespaces(), tag(state))).isEmpty();
        assertThat(state).doesNotExist();
    }

    private static String namespaces() throws IOException, InterruptedException {
        Process list = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String listed = new String(list.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        list.waitFor();
        return listed;
    }

    /** The script names its namespaces eg<first 4 hex digits of the state folder's SHA-256>-node-N. */
    private static String tag(Path state) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(state.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 4);
    }

    private static List<String> namespacesTagged(String listed, String tag) {
        return listed.lines().filter(line -> line.startsWith("eg" + tag + "-")).toList();
    }

    private record Result(int exit, String output) {
    }

    private static Result script(Map<String, String> env, Path log, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(ProjectPaths.root().resolve("deploy/local-cluster.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("EGCTL_") || name.startsWith("EDGEGATE_"));
        builder.environment().putAll(env);
        // The script's own egctl calls would leave egctl's daemon running after the test.
        builder.environment().put("EGCTL_DAEMON", "off");
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("local-cluster.sh " + String.join(" ", args) + " did not finish:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }
}
