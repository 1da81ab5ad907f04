package io.edgegate.dataplane;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The build's training run for the launcher's class-data archive (AppCDS). Run once by
 * {@code mvn package} under {@code -XX:ArchiveClassesAtExit}: it starts a data plane the way
 * {@code bin/data-plane} does, from a last-good file (no control plane answers), proxies
 * requests through a Proxy and a Mock, asks the admin port for /healthz and /metrics, and
 * exits. The classes that took become the archive, which saves a restarted node most of its
 * class loading (measured in bench/memory.sh).
 */
public final class ClassDataTraining {

    private static final String LOOPBACK = "127.0.0.1";

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Files.createTempDirectory("edgegate-class-data");
        try {
            int trafficPort = freePort();
            int backendPort = freePort();
            int adminPort = freePort();
            int silentControlPlane = freePort();
            Files.writeString(dataDir.resolve("last-good.json"), lastGood(trafficPort, backendPort));
            Thread node = new Thread(() -> DataPlaneMain.run(new String[] {
                    "--insecure", "--node-id", "class-data-training",
                    "--control-plane", LOOPBACK + ":" + silentControlPlane,
                    "--listen-address", LOOPBACK, "--admin-address", LOOPBACK, "--admin-port", String.valueOf(adminPort),
                    "--data-dir", dataDir.toString()}), "training-node");
            node.setDaemon(true);
            node.start();
            for (int i = 0; i < 50; i++) {
                expectOk(trafficPort, "/proxied/" + i);
            }
            expectOk(adminPort, "/healthz");
            expectOk(adminPort, "/metrics");
        } finally {
            deleteTree(dataDir);
        }
        // The shutdown hook stops the node; the JVM writes the archive as it exits.
        System.exit(0);
    }

    /** A server whose every path goes through a Proxy to a second server of the node, which a Mock answers. */
    private static String lastGood(int port, int backendPort) {
        String server = server("training", port, "training");
        String backend = server("training-backend", backendPort, "training-mock");
        String proxy = "{\"kind\":\"HTTPPipeline\",\"name\":\"training\",\"flow\":[{\"filter\":\"proxy\"}],"
                + "\"filters\":[{\"name\":\"proxy\",\"kind\":\"Proxy\",\"mainPool\":{\"servers\":[{\"url\":\"http://"
                + LOOPBACK + ":" + backendPort + "\"}],\"loadBalance\":{\"policy\":\"roundRobin\"}}}]}";
        String mock = "{\"kind\":\"HTTPPipeline\",\"name\":\"training-mock\",\"flow\":[{\"filter\":\"mock\"}],"
                + "\"filters\":[{\"name\":\"mock\",\"kind\":\"Mock\",\"rules\":[{\"code\":200,\"body\":\"trained\"}]}]}";
        return "{\"epoch\":\"\",\"revision\":1,\"savedAt\":\"training\",\"objects\":["
                + object("HTTPServer", "training", server) + ","
                + object("HTTPServer", "training-backend", backend) + ","
                + object("HTTPPipeline", "training", proxy) + ","
                + object("HTTPPipeline", "training-mock", mock) + "]}";
    }

    private static String server(String name, int port, String backend) {
        return "{\"kind\":\"HTTPServer\",\"name\":\"" + name + "\",\"port\":" + port + ",\"keepAlive\":true,"
                + "\"rules\":[{\"paths\":[{\"pathPrefix\":\"/\",\"backend\":\"" + backend + "\"}]}]}";
    }

    private static String object(String kind, String name, String json) {
        return "{\"kind\":\"" + kind + "\",\"name\":\"" + name + "\",\"revision\":1,\"json\":\""
                + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    /** GETs {@code path} until the node answers 200 (it is still starting at first); fails after 30 s. */
    private static void expectOk(int port, String path) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String status = "no answer";
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket(InetAddress.getByName(LOOPBACK), port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: training\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                int end = answer.indexOf("\r\n");
                status = end < 0 ? answer : answer.substring(0, end);
                if (status.startsWith("HTTP/1.1 200")) {
                    return;
                }
            } catch (IOException e) {
                status = e.toString();
            }
            Thread.sleep(50);
        }
        throw new IOException("the training node did not answer 200 on port " + port + path + ": " + status);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
