package io.edgegate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-member etcd (Debian's {@code etcd-server}) on free loopback ports with a
 * temporary data directory. It can be stopped and started again on the same ports and data,
 * for tests of what happens while etcd is away.
 */
public final class EtcdProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final Path dataDir;
    private final int clientPort;
    private final int peerPort;
    /** Certificate, key and CA files when etcd serves TLS and requires client certificates. */
    private final List<Path> tls;
    /** etcd's options beyond those every test etcd has. */
    private final List<String> options;
    private Process process;

    private EtcdProcess(Path dataDir, int clientPort, int peerPort, List<Path> tls, List<String> options) {
        this.dataDir = dataDir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.tls = List.copyOf(tls);
        this.options = List.copyOf(options);
    }

    public static EtcdProcess start() {
        return start(List.of(), List.of());
    }

    /** etcd whose database takes at most {@code bytes} (its --quota-backend-bytes): past it, etcd refuses every write. */
    public static EtcdProcess startWithQuota(long bytes) {
        return start(List.of(), List.of("--quota-backend-bytes", Long.toString(bytes)));
    }

    /** etcd serving only TLS with this certificate and key, taking only clients with a certificate of this CA. */
    public static EtcdProcess startTls(Path certificate, Path key, Path ca) {
        return start(List.of(certificate, key, ca), List.of());
    }

    /**
     * A port picked free can be taken before etcd binds it (by another process, or the two picks can
     * be the same port): etcd then exits at once saying so, and is started again on other ports.
     */
    private static EtcdProcess start(List<Path> tls, List<String> options) {
        for (int attempt = 1; ; attempt++) {
            EtcdProcess etcd = onFreePorts(tls, options);
            try {
                etcd.startProcess();
                return etcd;
            } catch (IllegalStateException e) {
                if (attempt == 3 || !etcd.log().contains("address already in use")) {
                    throw e;
                }
                etcd.close();
            }
        }
    }

    private static EtcdProcess onFreePorts(List<Path> tls, List<String> options) {
        int clientPort = FreePorts.pick();
        int peerPort = FreePorts.pick();
        while (peerPort == clientPort) {
            peerPort = FreePorts.pick();
        }
        try {
            return new EtcdProcess(Files.createTempDirectory("edgegate-etcd-"), clientPort, peerPort, tls, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What etcd wrote so far (empty when it wrote nothing). */
    private String log() {
        try {
            Path file = dataDir.resolve("etcd.log");
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    public int clientPort() {
        return clientPort;
    }

    public String endpoint() {
        return (tls.isEmpty() ? "http" : "https") + "://127.0.0.1:" + clientPort;
    }

    public synchronized void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts etcd again on the same ports and data after {@link #stop()}. */
    public synchronized void restart() {
        stop();
        startProcess();
    }

    /** Starts a stopped etcd again, on whatever data its directory holds now. */
    public synchronized void startAgain() {
        if (process == null) {
            startProcess();
        }
    }

    /** A cold backup: copies the data directory of a stopped etcd to {@code target}. */
    public synchronized void copyDataTo(Path target) {
        requireStopped("back up");
        copyRecursively(dataDir.resolve("data"), target);
    }

    /** Restores a cold backup into a stopped etcd: its data directory becomes a copy of {@code backup}. */
    public synchronized void replaceDataWith(Path backup) {
        requireStopped("restore");
        deleteRecursively(dataDir.resolve("data"));
        copyRecursively(backup, dataDir.resolve("data"));
    }

    /** Deletes a stopped etcd's data: started again, it is a new, empty store. */
    public synchronized void wipeData() {
        requireStopped("wipe");
        deleteRecursively(dataDir.resolve("data"));
    }

    private void requireStopped(String what) {
        if (process != null) {
            throw new IllegalStateException("stop etcd before you " + what + " its data");
        }
    }

    private static void copyRecursively(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
        deleteRecursively(dataDir);
    }

    private synchronized void startProcess() {
        String client = endpoint();
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = new java.util.ArrayList<>(List.of("etcd",
                "--name", "test",
                "--data-dir", dataDir.resolve("data").toString(),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "test=" + peer,
                // A single member needs no long election: ready in ~0.1 s instead of ~1 s.
                "--heartbeat-interval", "10",
                "--election-timeout", "100",
                "--logger", "zap",
                "--log-level", "warn"));
        command.addAll(options);
        if (!tls.isEmpty()) {
            command.addAll(List.of("--cert-file", tls.get(0).toString(), "--key-file", tls.get(1).toString(),
                    "--trusted-ca-file", tls.get(2).toString(), "--client-cert-auth"));
        }
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("etcd.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start etcd: is etcd-server installed? (apt-get install etcd-server)", e);
        }
        awaitHealthy();
    }

    private void awaitHealthy() {
        if (!tls.isEmpty()) {
            awaitListening();
            return;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                .timeout(Duration.ofMillis(500)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + "; see " + dataDir.resolve("etcd.log"));
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("true")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Pause.briefly();
        }
        throw new IllegalStateException("etcd did not become healthy within " + READY_TIMEOUT + "; see " + dataDir.resolve("etcd.log"));
    }

    /** With client-cert auth the health URL needs a certificate; a listening port is enough (clients retry). */
    private void awaitListening() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + "; see " + dataDir.resolve("etcd.log"));
            }
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", clientPort), 200);
                return;
            } catch (IOException e) {
                Pause.briefly();
            }
        }
        throw new IllegalStateException("etcd did not listen within " + READY_TIMEOUT + "; see " + dataDir.resolve("etcd.log"));
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
