package io.edgegate.e2e;

import static org.awaitility.Awaitility.await;

import io.edgegate.testkit.EtcdProcess;
import io.edgegate.testkit.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real cluster on this machine: an etcd process, a control-plane process and data-plane
 * processes on loopback addresses 127.0.0.2, .3, …, started through the bin/ launchers.
 */
final class Cluster implements AutoCloseable {

    private static final Map<String, String> JVM = Map.of(
            "CONTROL_PLANE_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
            "DATA_PLANE_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");

    private final Path workDir;
    private final EtcdProcess etcd;
    private final int controlPlanePort = FreePorts.pick();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private ManagedProcess controlPlane;

    private Cluster(Path workDir) {
        this.workDir = workDir;
        this.etcd = EtcdProcess.start();
    }

    /** etcd, a control plane and data planes on 127.0.0.2 … 127.0.0.(1+n), all ready. */
    static Cluster start(Path workDir, int dataPlanes) {
        Cluster cluster = new Cluster(workDir);
        cluster.startControlPlane();
        for (int i = 0; i < dataPlanes; i++) {
            cluster.addDataPlane("node-" + (i + 1), "127.0.0." + (i + 2));
        }
        cluster.nodes.values().forEach(n -> cluster.awaitServing(n.id));
        return cluster;
    }

    String server() {
        return "127.0.0.1:" + controlPlanePort;
    }

    List<String> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    String address(String nodeId) {
        return nodes.get(nodeId).address;
    }

    void startControlPlane() {
        controlPlane = ManagedProcess.start("control-plane", workDir, JVM, List.of(
                ProjectPaths.bin("control-plane").toString(),
                "--listen", server(),
                "--etcd-endpoints", etcd.endpoint()));
        await().atMost(Duration.ofSeconds(30)).until(() -> accepts("127.0.0.1", controlPlanePort) || !controlPlane.isAlive());
        if (!controlPlane.isAlive()) {
            throw new IllegalStateException("control plane exited:\n" + controlPlane.log());
        }
    }

    /** Registers and starts a data plane; it serves once it has applied a config. */
    void addDataPlane(String nodeId, String address) {
        nodes.put(nodeId, new Node(nodeId, address, FreePorts.pick(address)));
        startDataPlane(nodeId);
    }

    void startDataPlane(String nodeId) {
        Node node = nodes.get(nodeId);
        node.process = ManagedProcess.start(nodeId, workDir, JVM, List.of(
                ProjectPaths.bin("data-plane").toString(),
                "--node-id", nodeId,
                "--control-plane", server(),
                "--listen-address", node.address,
                "--admin-port", String.valueOf(node.adminPort),
                "--data-dir", workDir.resolve(nodeId).toString()));
    }

    /** Stops a node and forgets it. */
    void removeDataPlane(String nodeId) {
        nodes.remove(nodeId).process.close();
    }

    void killDataPlane(String nodeId) {
        nodes.get(nodeId).process.kill();
    }

    /** Waits until the node's admin endpoint reports an applied config. */
    void awaitServing(String nodeId) {
        Node node = nodes.get(nodeId);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!node.process.isAlive()) {
                throw new IllegalStateException(nodeId + " exited:\n" + node.process.log());
            }
            try {
                return get("http://" + node.address + ":" + node.adminPort + "/healthz").statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    HttpResponse<String> request(String nodeId, int port, String path) throws IOException {
        return get("http://" + nodes.get(nodeId).address + ":" + port + path);
    }

    boolean portOpen(String nodeId, int port) {
        return accepts(nodes.get(nodeId).address, port);
    }

    String logs() {
        List<String> parts = new ArrayList<>();
        parts.add(controlPlane.log());
        nodes.values().forEach(n -> parts.add(n.process.log()));
        return String.join("\n", parts);
    }

    private HttpResponse<String> get(String url) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        nodes.values().forEach(n -> n.process.close());
        if (controlPlane != null) {
            controlPlane.close();
        }
        etcd.close();
    }

    private static final class Node {
        final String id;
        final String address;
        final int adminPort;
        ManagedProcess process;

        Node(String id, String address, int adminPort) {
            this.id = id;
            this.address = address;
            this.adminPort = adminPort;
        }
    }
}
