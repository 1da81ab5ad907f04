package io.edgegate.e2e;

import static org.awaitility.Awaitility.await;

import io.edgegate.security.NodeIdentity;
import io.edgegate.security.PkiDirectory;
import io.edgegate.testkit.EtcdProcess;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.ManagedProcess;
import io.edgegate.testkit.TcpRelay;
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
 * A real cluster on this machine: an etcd process, control-plane processes and data-plane
 * processes on loopback addresses 127.0.0.2, .3, …, started through the bin/ launchers.
 */
final class Cluster implements AutoCloseable {

    static final String QUICK_JVM = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    /** Where bin/ has the launchers: this checkout, or a distribution made from it. */
    private final Path root;
    private final Path workDir;
    private final Map<String, String> jvm;
    private final List<String> controlPlaneArgs;
    /** Where control planes listen: loopback, or every address for data planes in other network namespaces. */
    private final String listenHost;
    private final EtcdProcess etcd;
    /** When set, control planes reach etcd through it, so a test can cut them off while etcd runs on. */
    private TcpRelay etcdRelay;
    private final List<ControlPlaneProcess> controlPlanes = new ArrayList<>();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final PkiDirectory pki;

    private Cluster(Path workDir, String dataPlaneJvm) {
        this(ProjectPaths.root(), workDir, dataPlaneJvm, List.of(), "127.0.0.1");
    }

    private Cluster(Path root, Path workDir, String dataPlaneJvm, List<String> controlPlaneArgs) {
        this(root, workDir, dataPlaneJvm, controlPlaneArgs, "127.0.0.1");
    }

    private Cluster(Path root, Path workDir, String dataPlaneJvm, List<String> controlPlaneArgs, String listenHost) {
        this.root = root;
        this.listenHost = listenHost;
        this.workDir = workDir;
        this.controlPlaneArgs = controlPlaneArgs;
        // Secure as a real cluster: the control planes serve TLS with tokens, each node has its own certificate.
        this.pki = new PkiDirectory(workDir.resolve("pki"));
        try {
            pki.issueServer("control-plane", List.of("127.0.0.1", "localhost"));
            // etcd as a production one: TLS, only clients with a certificate of its own CA (the control planes').
            pki.etcd().issueServer("etcd-server", List.of("127.0.0.1", "localhost"));
            pki.etcd().issueClient("etcd-client");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.jvm = Map.of("CONTROL_PLANE_JAVA_OPTS", QUICK_JVM, "DATA_PLANE_JAVA_OPTS", dataPlaneJvm);
        this.etcd = EtcdProcess.startTls(pki.etcd().certificate("etcd-server"), pki.etcd().key("etcd-server"),
                pki.etcd().caCertificate());
    }

    /** etcd, one control plane and data planes on 127.0.0.2 … 127.0.0.(1+n), all serving. */
    static Cluster start(Path workDir, int dataPlanes) {
        return start(workDir, 1, dataPlanes);
    }

    /** As {@link #start(Path, int)} with several control-plane replicas; node i prefers replica i mod n. */
    static Cluster start(Path workDir, int controlPlanes, int dataPlanes) {
        return start(workDir, controlPlanes, dataPlanes, QUICK_JVM);
    }

    /** As above, with the data planes' JVM options (e.g. a small heap to prove bounded memory). */
    static Cluster start(Path workDir, int controlPlanes, int dataPlanes, String dataPlaneJvm) {
        return start(new Cluster(workDir, dataPlaneJvm), controlPlanes, dataPlanes);
    }

    /**
     * One control plane (given {@code controlPlaneArgs} besides the usual ones) and data planes, run
     * by the launchers under {@code root}: a distribution's, with its own Java runtime.
     */
    static Cluster startFrom(Path root, Path workDir, int dataPlanes, List<String> controlPlaneArgs) {
        return start(new Cluster(root, workDir, QUICK_JVM, controlPlaneArgs), 1, dataPlanes);
    }

    /** One control plane listening on every address (egctl still reaches it on 127.0.0.1), no data planes yet. */
    static Cluster startListeningEverywhere(Path workDir) {
        return start(new Cluster(ProjectPaths.root(), workDir, QUICK_JVM, List.of(), "0.0.0.0"), 1, 0);
    }

    /** One control plane that reaches etcd through a relay the test can cut ({@link #etcdRelay()}), and data planes. */
    static Cluster startBehindRelay(Path workDir, int dataPlanes) {
        Cluster cluster = new Cluster(workDir, QUICK_JVM);
        cluster.etcdRelay = TcpRelay.to("127.0.0.1", cluster.etcd.clientPort());
        return start(cluster, 1, dataPlanes);
    }

    private static Cluster start(Cluster cluster, int controlPlanes, int dataPlanes) {
        for (int i = 0; i < controlPlanes; i++) {
            cluster.controlPlanes.add(new ControlPlaneProcess("control-plane-" + (i + 1), FreePorts.pick()));
            cluster.startControlPlane(i);
        }
        for (int i = 0; i < dataPlanes; i++) {
            List<Integer> order = new ArrayList<>();
            for (int j = 0; j < controlPlanes; j++) {
                order.add((i + j) % controlPlanes);
            }
            cluster.addDataPlane("node-" + (i + 1), "127.0.0." + (i + 2), order);
        }
        cluster.nodes.values().forEach(n -> cluster.awaitServing(n.id));
        return cluster;
    }

    EtcdProcess etcd() {
        return etcd;
    }

    TcpRelay etcdRelay() {
        return etcdRelay;
    }

    /** The first control plane's address. */
    String server() {
        return server(0);
    }

    /** egctl for the first control plane, with the cluster CA and the admin token. */
    EgctlTarget egctl() {
        return egctl(0);
    }

    EgctlTarget egctl(int controlPlane) {
        return EgctlTarget.secure(server(controlPlane), pki.caCertificate(), adminTokenFile());
    }

    /** Written 0600 by the control plane that made the first admin token. */
    Path adminTokenFile() {
        return workDir.resolve("admin.token");
    }

    PkiDirectory pki() {
        return pki;
    }

    /** A client of this cluster's etcd with the control planes' certificate, for a test to change the store behind their back. */
    io.etcd.jetcd.Client etcdClient() {
        try {
            return io.etcd.jetcd.Client.builder().endpoints(etcd.endpoint())
                    .sslContext(io.grpc.netty.GrpcSslContexts.forClient().trustManager(pki.etcd().caCertificate().toFile())
                            .keyManager(pki.etcd().certificate("etcd-client").toFile(), pki.etcd().key("etcd-client").toFile()).build())
                    .build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    String server(int controlPlane) {
        return "127.0.0.1:" + controlPlanes.get(controlPlane).port;
    }

    List<String> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    String address(String nodeId) {
        return nodes.get(nodeId).address;
    }

    Path dataDir(String nodeId) {
        return workDir.resolve(nodeId);
    }

    void startControlPlane(int index) {
        ControlPlaneProcess cp = controlPlanes.get(index);
        List<String> command = new ArrayList<>(List.of(
                root.resolve("bin/control-plane").toString(),
                "--listen", listenHost + ":" + controlPlanes.get(index).port,
                "--etcd-endpoints", etcdRelay != null ? "https://127.0.0.1:" + etcdRelay.port() : etcd.endpoint(),
                "--etcd-ca", pki.etcd().caCertificate().toString(),
                "--etcd-cert", pki.etcd().certificate("etcd-client").toString(),
                "--etcd-key", pki.etcd().key("etcd-client").toString(),
                "--tls-cert", pki.certificate("control-plane").toString(),
                "--tls-key", pki.key("control-plane").toString(),
                "--tls-ca", pki.caCertificate().toString(),
                "--admin-token-file", adminTokenFile().toString(),
                "--admin-listen", "127.0.0.1:" + cp.adminPort));
        command.addAll(controlPlaneArgs);
        cp.process = ManagedProcess.start(cp.name, workDir, jvm, command);
        await().atMost(Duration.ofSeconds(30)).until(() -> accepts("127.0.0.1", cp.port) || !cp.process.isAlive());
        if (!cp.process.isAlive()) {
            throw new IllegalStateException(cp.name + " exited:\n" + cp.process.log());
        }
    }

    /** SIGKILL: the replica vanishes without a goodbye, as a crash would. */
    void killControlPlane(int index) {
        controlPlanes.get(index).process.kill();
    }

    /** Registers and starts a data plane that tries the given control planes in order. */
    void addDataPlane(String nodeId, String address, List<Integer> controlPlaneOrder) {
        List<String> servers = controlPlaneOrder.stream().map(this::server).toList();
        nodes.put(nodeId, new Node(nodeId, address, FreePorts.pick(address), String.join(",", servers)));
        startDataPlane(nodeId);
    }

    void addDataPlane(String nodeId, String address) {
        addDataPlane(nodeId, address, List.of(0));
    }

    /** Registers and starts a data plane that reaches the first control plane only through {@code relay}. */
    void addDataPlaneThrough(String nodeId, String address, TcpRelay relay) {
        nodes.put(nodeId, new Node(nodeId, address, FreePorts.pick(address), "127.0.0.1:" + relay.port()));
        startDataPlane(nodeId);
    }

    /** The first control plane's gRPC port, for a relay in front of it. */
    int controlPlanePort() {
        return controlPlanes.get(0).port;
    }

    void startDataPlane(String nodeId) {
        Node node = nodes.get(nodeId);
        if (!java.nio.file.Files.exists(pki.nodeBundle(nodeId))) {
            try {
                pki.issueNode(NodeIdentity.DEFAULT_TRUST_DOMAIN, nodeId);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        List<String> command = new ArrayList<>(List.of(
                root.resolve("bin/data-plane").toString(),
                "--node-id", nodeId,
                "--control-plane", node.controlPlanes,
                "--listen-address", node.address,
                "--admin-port", String.valueOf(node.adminPort),
                "--admin-address", node.address,
                "--data-dir", dataDir(nodeId).toString(),
                "--pki-dir", pki.nodeBundle(nodeId).toString()));
        command.addAll(node.extraArgs);
        List<String> wrapped = new ArrayList<>(node.wrapper);
        wrapped.addAll(command);
        node.process = ManagedProcess.start(nodeId, workDir, jvm, wrapped);
    }

    /**
     * Registers and starts a data plane inside {@code host}'s namespace: it reaches the control plane
     * over {@code control} only, and serves (and is checked) on {@code traffic}'s address there.
     * The control plane must listen on every address ({@link #startListeningEverywhere}).
     */
    void addDataPlaneIn(NetnsHost host, String nodeId, NetnsHost.Link control, NetnsHost.Link traffic) {
        nodes.put(nodeId, new Node(nodeId, traffic.namespaceAddress(), FreePorts.pick(), control.hostAddress() + ":" + controlPlanePort(),
                host.inside(List.of()), List.of("--control-plane-name", "localhost")));
        startDataPlane(nodeId);
    }

    /** Stops a node and forgets it. */
    void removeDataPlane(String nodeId) {
        nodes.remove(nodeId).process.close();
    }

    long pid(String nodeId) {
        return nodes.get(nodeId).process.pid();
    }

    void killDataPlane(String nodeId) {
        nodes.get(nodeId).process.kill();
    }

    void stopDataPlane(String nodeId) {
        nodes.get(nodeId).process.close();
    }

    /** Waits until the node's admin endpoint reports an applied config. */
    void awaitServing(String nodeId) {
        Node node = nodes.get(nodeId);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!node.process.isAlive()) {
                throw new IllegalStateException(nodeId + " exited:\n" + node.process.log());
            }
            try {
                return health(nodeId).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    HttpResponse<String> health(String nodeId) throws IOException {
        Node node = nodes.get(nodeId);
        return get("http://" + node.address + ":" + node.adminPort + "/healthz");
    }

    /** Where a control plane serves /healthz and /metrics. */
    String controlPlaneAdmin(int controlPlane) {
        return "127.0.0.1:" + controlPlanes.get(controlPlane).adminPort;
    }

    /** Where a node serves /healthz and /metrics. */
    String nodeAdmin(String nodeId) {
        Node node = nodes.get(nodeId);
        return node.address + ":" + node.adminPort;
    }

    /** The node's /metrics, from its admin address. */
    String metrics(String nodeId) throws IOException {
        Node node = nodes.get(nodeId);
        return get("http://" + node.address + ":" + node.adminPort + "/metrics").body();
    }

    HttpResponse<String> request(String nodeId, int port, String path) throws IOException {
        return get("http://" + nodes.get(nodeId).address + ":" + port + path);
    }

    /** A GET with request headers given as name, value, name, value... */
    HttpResponse<String> request(String nodeId, int port, String path, String... headers) throws IOException {
        return get("http://" + nodes.get(nodeId).address + ":" + port + path, headers);
    }

    boolean portOpen(String nodeId, int port) {
        return accepts(nodes.get(nodeId).address, port);
    }

    /** Starts a process of this cluster's kind (the cluster's JVM options and log folder) that the test itself stops. */
    ManagedProcess launch(String name, List<String> command) {
        return ManagedProcess.start(name, workDir, jvm, command);
    }

    /** Every log this cluster's processes wrote, including earlier runs and processes the test launched. */
    String allLogs() {
        try (var files = java.nio.file.Files.list(workDir)) {
            StringBuilder text = new StringBuilder();
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                text.append(java.nio.file.Files.readString(file)).append('\n');
            }
            return text.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    String logs() {
        List<String> parts = new ArrayList<>();
        controlPlanes.stream().filter(c -> c.process != null).forEach(c -> parts.add(c.process.log()));
        nodes.values().forEach(n -> parts.add(n.process.log()));
        return String.join("\n", parts);
    }

    private HttpResponse<String> get(String url, String... headers) throws IOException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
            if (headers.length > 0) {
                request.headers(headers);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
        controlPlanes.stream().filter(c -> c.process != null).forEach(c -> c.process.close());
        if (etcdRelay != null) {
            etcdRelay.close();
        }
        etcd.close();
        requireNoSecretInLogs();
    }

    /** Private keys as PEM or base64 PEM, and the admin token: none may reach any log of any test's cluster. */
    private static final List<String> SECRET_SIGNS = List.of("PRIVATE KEY-----", "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t",
            "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t", "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0t");

    private void requireNoSecretInLogs() {
        String logs = allLogs();
        List<String> signs = new ArrayList<>(SECRET_SIGNS);
        try {
            if (java.nio.file.Files.exists(adminTokenFile())) {
                signs.add(java.nio.file.Files.readString(adminTokenFile()).strip());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String sign : signs) {
            if (logs.contains(sign)) {
                throw new AssertionError("a log of the cluster in " + workDir + " holds a secret (" + sign.substring(0, 12) + "…)");
            }
        }
    }

    private static final class ControlPlaneProcess {
        final String name;
        final int port;
        final int adminPort = FreePorts.pick();
        ManagedProcess process;

        ControlPlaneProcess(String name, int port) {
            this.name = name;
            this.port = port;
        }
    }

    private static final class Node {
        final String id;
        final String address;
        final int adminPort;
        final String controlPlanes;
        /** What the data plane's command runs in (a network namespace), and flags it takes besides the usual ones. */
        final List<String> wrapper;
        final List<String> extraArgs;
        ManagedProcess process;

        Node(String id, String address, int adminPort, String controlPlanes) {
            this(id, address, adminPort, controlPlanes, List.of(), List.of());
        }

        Node(String id, String address, int adminPort, String controlPlanes, List<String> wrapper, List<String> extraArgs) {
            this.id = id;
            this.address = address;
            this.adminPort = adminPort;
            this.controlPlanes = controlPlanes;
            this.wrapper = wrapper;
            this.extraArgs = extraArgs;
        }
    }
}
