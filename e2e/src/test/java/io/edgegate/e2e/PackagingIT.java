package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.security.NodeIdentity;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.ManagedProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What deploy/image.sh (and the deploy/dist.sh it runs) makes, used as a host without Java and a
 * container runtime would use it. The distribution's launchers run a cluster on its own jlink
 * runtime; the image, unpacked layer by layer, runs a data plane as its non-root user on a
 * read-only root with only /tmp and /var/lib/edgegate writable, as deploy/kubernetes runs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagingIT {

    private static final int IMAGE_USER = 65532;

    private Path work;
    private Path dist;
    private Path image;

    @BeforeAll
    void buildTheImage(@TempDir Path dir) throws Exception {
        work = dir;
        Process build = new ProcessBuilder(ProjectPaths.root().resolve("deploy/image.sh").toString(), "--out", dir.resolve("out").toString())
                .redirectOutput(dir.resolve("image.out").toFile()).redirectError(dir.resolve("image.err").toFile()).start();
        assertThat(build.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(build.exitValue()).as(Files.readString(dir.resolve("image.err"))).isZero();
        image = Path.of(Files.readString(dir.resolve("image.out")).strip());
        dist = image.resolveSibling(image.getFileName().toString().replace("edgegate-image-", "edgegate-").replace(".tar", ""));
        assertThat(dist.resolve("runtime/bin/java")).isExecutable();
        assertThat(dist.resolveSibling(dist.getFileName() + "-linux-x64.tar.gz")).isNotEmptyFile();
    }

    @Test
    void theDistributionRunsAClusterOnItsOwnRuntime() throws Exception {
        Path cluster = Files.createDirectories(work.resolve("cluster"));
        // Where the cluster's egctl reads its token: the file the control plane is told to adopt.
        String token = "egt_made-beforehand.c2VjcmV0LW1hZGUtYnktdGhlLW9wZXJhdG9yLWJlZm9yZQ";
        Path preset = Files.writeString(cluster.resolve("admin.token"), token + "\n");
        try (ExampleSetup examples = new ExampleSetup(cluster.resolve("objects"));
             Cluster running = Cluster.startFrom(dist, cluster, 1, List.of("--initial-admin-token-file", preset.toString()))) {
            assertThat(ProcessHandle.of(running.pid("node-1")).orElseThrow().info().command())
                    .as("the data plane runs on the distribution's runtime").contains(dist.resolve("runtime/bin/java").toString());

            EgctlRun applied = distEgctl(running, examples.applyArgs());
            assertThat(applied.exit()).as(applied.toString()).isZero();
            await().atMost(Duration.ofSeconds(10)).ignoreException(ConnectException.class).until(() -> running.request("node-1", examples.port, "/pipeline").statusCode() == 200);
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                served.add(running.request("node-1", examples.port, "/pipeline").headers().firstValue(EchoBackend.NAME_HEADER).orElseThrow());
            }
            assertThat(served).hasSize(3);
            assertThat(Files.readString(preset)).as("nothing was written over the token made beforehand").isEqualTo(token + "\n");
            assertThat(distEgctl(running, "get", "members").out()).containsPattern("node-1\\s+127\\.0\\.0\\.2\\s+Ready");
        }
    }

    @Test
    void theImageRunsADataPlaneAsItsUserOnAReadOnlyRoot() throws Exception {
        Path rootfs = unpack(image, work.resolve("rootfs"));
        Path cluster = Files.createDirectories(work.resolve("image-cluster"));
        try (ExampleSetup examples = new ExampleSetup(cluster.resolve("objects"));
             Cluster running = Cluster.start(cluster, 0)) {
            // The node's identity, where the manifests mount its Secret, readable by the image's user only.
            running.pki().issueNode(NodeIdentity.DEFAULT_TRUST_DOMAIN, "node-image");
            Path nodeDir = Files.createDirectories(rootfs.resolve("etc/edgegate/node"));
            for (String file : List.of("node.pem", "node-key.pem", "ca.pem")) {
                Path copy = Files.copy(running.pki().nodeBundle("node-image").resolve(file), nodeDir.resolve(file));
                Files.setAttribute(copy, "unix:uid", IMAGE_USER);
            }
            String address = "127.0.0.9";
            int admin = FreePorts.pick(address);
            String script = String.join(" && ",
                    "mount --bind " + rootfs + " " + rootfs,
                    "mount -t tmpfs -o mode=1777 tmpfs " + rootfs + "/tmp",
                    "mount -t tmpfs -o uid=" + IMAGE_USER + ",gid=" + IMAGE_USER + ",mode=700 tmpfs " + rootfs + "/var/lib/edgegate",
                    "mount --rbind /dev " + rootfs + "/dev",
                    "mount -t proc proc " + rootfs + "/proc",
                    "mount -o remount,bind,ro " + rootfs,
                    "exec chroot --userspec=" + IMAGE_USER + ":" + IMAGE_USER + " " + rootfs + " /usr/bin/env -i"
                            + " PATH=/opt/edgegate/bin:/usr/bin:/bin HOME=/var/lib/edgegate DATA_PLANE_JAVA_OPTS=-Xmx128m"
                            + " /opt/edgegate/bin/data-plane --node-id node-image --control-plane " + running.server()
                            + " --tls-cert /etc/edgegate/node/node.pem --tls-key /etc/edgegate/node/node-key.pem --tls-ca /etc/edgegate/node/ca.pem"
                            + " --data-dir /var/lib/edgegate --listen-address " + address + " --admin-address " + address
                            + " --admin-port " + admin
                            // Its native parts must load in the image: BoringSSL (else this fails) and epoll (checked below).
                            + " --tls-provider openssl");
            try (ManagedProcess node = ManagedProcess.start("node-image", cluster, Map.of(),
                    List.of("unshare", "--mount", "--pid", "--fork", "--kill-child", "sh", "-c", script))) {
                EgctlRun applied = EgctlRun.launcher(running.egctl(), examples.applyArgs());
                assertThat(applied.exit()).as(applied.toString()).isZero();
                HttpClient http = HttpClient.newHttpClient();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    assertThat(node.isAlive()).as(node.log()).isTrue();
                    try {
                        return http.send(HttpRequest.newBuilder(URI.create("http://" + address + ":" + examples.port + "/pipeline")).build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
                String health = http.send(HttpRequest.newBuilder(URI.create("http://" + address + ":" + admin + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(health).contains("node-image");
                // It wrote its last-good config where it may, as its own user, and nowhere else.
                assertThat(node.log()).doesNotContain("Read-only file system", "Permission denied").contains("(epoll transport");
                assertThat(distEgctl(running, "get", "members").out()).containsPattern("node-image\\s+\\S+\\s+Ready");
            }
        }
    }

    private EgctlRun distEgctl(Cluster cluster, String... args) {
        return EgctlRun.launcherWith(dist.resolve("bin/egctl"), cluster.egctl().environment(work.resolve("no-config.yaml")), args);
    }

    /**
     * The image's layers unpacked in order, as a container runtime would, after checking what a
     * loader checks: every blob has the digest it is named by, the config lists the layers' digests,
     * and the image runs as a user that is not root.
     */
    private static Path unpack(Path image, Path rootfs) throws Exception {
        Path archive = Files.createDirectories(rootfs.resolveSibling("image-archive"));
        run(List.of("tar", "-C", archive.toString(), "-xf", image.toString()));
        try (var blobs = Files.list(archive.resolve("blobs/sha256"))) {
            for (Path blob : blobs.toList()) {
                assertThat(sha256(blob)).as("digest of " + blob.getFileName()).isEqualTo(blob.getFileName().toString());
            }
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode docker = json.readTree(archive.resolve("manifest.json").toFile()).get(0);
        JsonNode config = json.readTree(archive.resolve(docker.get("Config").asText()).toFile());
        assertThat(config.at("/config/User").asText()).isEqualTo(IMAGE_USER + ":" + IMAGE_USER);
        JsonNode index = json.readTree(archive.resolve("index.json").toFile());
        JsonNode manifest = json.readTree(archive.resolve("blobs/sha256/" + index.at("/manifests/0/digest").asText().substring(7)).toFile());
        assertThat(manifest.at("/config/digest").asText()).isEqualTo("sha256:" + docker.get("Config").asText().substring(13));
        Files.createDirectories(rootfs);
        for (int i = 0; i < docker.get("Layers").size(); i++) {
            String layer = docker.get("Layers").get(i).asText();
            assertThat(config.at("/rootfs/diff_ids/" + i).asText()).isEqualTo("sha256:" + layer.substring(13));
            assertThat(manifest.at("/layers/" + i + "/digest").asText()).isEqualTo("sha256:" + layer.substring(13));
            run(List.of("tar", "-C", rootfs.toString(), "--numeric-owner", "-xpf", archive.resolve(layer).toString()));
        }
        assertThat(Files.getAttribute(rootfs.resolve("var/lib/edgegate"), "unix:uid")).isEqualTo(IMAGE_USER);
        return rootfs;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(command + ": " + output).isZero();
    }
}
