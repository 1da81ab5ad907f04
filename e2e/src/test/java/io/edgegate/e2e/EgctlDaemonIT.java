package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/egctl's daemon as a user meets it: the first call runs on its own JVM and leaves a warm egctl
 * behind; later calls are answered by it with the same output, exit status, standard error, standard
 * input and relative paths as egctl started where the user stands; {@code egctl daemon stop} ends it.
 */
class EgctlDaemonIT {

    @RegisterExtension
    static final SharedCluster shared = new SharedCluster();

    /**
     * Whatever listens on the port a state file names (another user's program on a port a daemon left)
     * must prove it holds the cookie before the launcher sends it a token: here it cannot, gets the nonce
     * line only, and the call runs on its own JVM.
     */
    @Test
    void aListenerThatCannotProveTheCookieGetsNoSecret(@TempDir Path dir) throws Exception {
        Map<String, String> env = daemonEnvironment(dir);
        Path jar = ProjectPaths.root().resolve("egctl/target/egctl.jar");
        String version = Files.getLastModifiedTime(jar).toMillis() / 1000 + "-" + Files.size(jar);
        Path work = Files.createDirectories(dir.resolve("work"));
        try (java.net.ServerSocket impostor = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Path state = Files.createDirectories(dir.resolve("runtime/edgegate")).resolve("egctl-daemon");
            Files.writeString(state, impostor.getLocalPort() + " cookie-it-never-had " + version + " " + ProcessHandle.current().pid() + "\n");
            java.util.concurrent.CompletableFuture<String> heard = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (java.net.Socket caller = impostor.accept()) {
                    caller.setSoTimeout(10_000);
                    java.io.InputStream in = caller.getInputStream();
                    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                    int b;
                    while ((b = in.read()) != '\n' && b >= 0) {
                        got.write(b);
                    }
                    caller.getOutputStream().write("not-the-proof\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    caller.getOutputStream().flush();
                    // Whatever else comes before the launcher hangs up.
                    got.write(in.readAllBytes());
                    return got.toString(java.nio.charset.StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            EgctlRun members = EgctlRun.launcherIn(ProjectPaths.bin("egctl"), work, env, "", "get", "members");
            assertThat(members.exit()).as(members.toString()).isZero();
            assertThat(members.out()).containsPattern("node-1\\s+\\S+\\s+Ready");
            String sent = heard.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(sent).as("only a nonce").matches("\\d+").doesNotContain(env.get("EGCTL_TOKEN"));
        } finally {
            // The launcher found no daemon it could trust and started one: stop it.
            await().atMost(Duration.ofSeconds(30)).until(() -> EgctlRun.launcherIn(ProjectPaths.bin("egctl"), work, env, "", "daemon", "status")
                    .out().startsWith("running"));
            EgctlRun.launcherIn(ProjectPaths.bin("egctl"), work, env, "", "daemon", "stop");
        }
    }

    @Test
    void laterCallsAreAnsweredByTheWarmEgctlAsIfRunHere(@TempDir Path dir) throws Exception {
        Map<String, String> env = daemonEnvironment(dir);
        Path state = dir.resolve("runtime/edgegate/egctl-daemon");
        Path egctl = ProjectPaths.bin("egctl");
        Path work = Files.createDirectories(dir.resolve("work"));
        try {
            EgctlRun first = EgctlRun.launcherIn(egctl, work, env, "", "get", "members");
            assertThat(first.exit()).as(first.toString()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(state));
            assertThat(Files.getPosixFilePermissions(state)).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");

            // A JVM that cannot start proves the answer came from the daemon, not from a JVM started for the call.
            Map<String, String> noJvm = new HashMap<>(env);
            noJvm.put("EGCTL_JAVA_OPTS", "-XX:+NoSuchOptionAnywhere");
            EgctlRun members = EgctlRun.launcherIn(egctl, work, noJvm, "", "get", "members");
            assertThat(members.exit()).as(members.toString()).isZero();
            assertThat(members.out().replaceAll("\\d+s ago", "Ns ago")).isEqualTo(first.out().replaceAll("\\d+s ago", "Ns ago"));
            assertThat(members.out()).containsPattern("node-1\\s+\\S+\\s+Ready");

            // Standard input and a path relative to where the user stands.
            String pipeline = "kind: HTTPPipeline\nname: from-the-daemon\nfilters:\n  - name: mock\n    kind: Mock\n    rules:\n      - code: 204\n";
            EgctlRun fromStdin = EgctlRun.launcherIn(egctl, work, noJvm, pipeline, "apply", "-f", "-");
            assertThat(fromStdin.exit()).as(fromStdin.toString()).isZero();
            assertThat(fromStdin.out()).isEqualTo("HTTPPipeline/from-the-daemon created\n");
            Files.writeString(work.resolve("relative.yaml"), pipeline.replace("code: 204", "code: 202"));
            EgctlRun relative = EgctlRun.launcherIn(egctl, work, noJvm, "", "apply", "-f", "relative.yaml");
            assertThat(relative.out()).as(relative.toString()).isEqualTo("HTTPPipeline/from-the-daemon configured\n");

            // A reader that stops at once (| true, | head): the call still ends with its own status, and no doubt about the daemon.
            ProcessBuilder piped = new ProcessBuilder("bash", "-c",
                    "\"$0\" apply --wait --timeout 20s -f relative.yaml | true; echo \"status ${PIPESTATUS[0]}\" >&2", egctl.toString())
                    .directory(work.toFile());
            piped.environment().keySet().removeIf(name -> name.startsWith("EGCTL_") || name.startsWith("EDGEGATE_"));
            piped.environment().putAll(noJvm);
            Process pipedRun = piped.start();
            pipedRun.getOutputStream().close();
            String pipedErr = new String(pipedRun.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(pipedRun.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(pipedErr).isEqualTo("status 0\n");

            // A failure: its status and its message on standard error, nothing on standard output.
            EgctlRun missing = EgctlRun.launcherIn(egctl, work, noJvm, "", "get", "hp", "not-there");
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.out()).isEmpty();
            assertThat(missing.err()).isEqualTo("Error: HTTPPipeline/not-there not found\n");

            // Commands that need the user's terminal never go to the daemon.
            EgctlRun watch = EgctlRun.launcherIn(egctl, work, noJvm, "", "watch", "--timeout", "1s");
            assertThat(watch.exit()).isNotZero();
            assertThat(watch.err()).contains("NoSuchOptionAnywhere");

            EgctlRun deleted = EgctlRun.launcherIn(egctl, work, noJvm, "", "delete", "hp", "from-the-daemon");
            assertThat(deleted.exit()).as(deleted.toString()).isZero();
        } finally {
            EgctlRun stopped = EgctlRun.launcherIn(egctl, work, env, "", "daemon", "stop");
            assertThat(stopped.out()).as(stopped.toString()).startsWith("stopped (pid ");
        }
        Map<String, String> noJvm = new HashMap<>(env);
        noJvm.put("EGCTL_JAVA_OPTS", "-XX:+NoSuchOptionAnywhere");
        assertThat(EgctlRun.launcherIn(egctl, work, noJvm, "", "get", "members").exit()).as("no daemon answers any more").isNotZero();
        // That call's attempt to start a new one failed as its own JVM did (the same options).
        assertThat(EgctlRun.launcherIn(egctl, work, env, "", "daemon", "status").out()).isEqualTo("not running\n");
    }

    /** egctl's environment for the shared cluster, with a daemon of this test's own: the user's (or another test's) is neither used nor stopped. */
    private static Map<String, String> daemonEnvironment(Path dir) throws java.io.IOException {
        Map<String, String> env = new HashMap<>(shared.cluster().egctl().environment(dir.resolve("no-config.yaml")));
        env.put("EGCTL_DAEMON", "on");
        env.put("XDG_RUNTIME_DIR", Files.createDirectories(dir.resolve("runtime")).toString());
        return env;
    }
}
