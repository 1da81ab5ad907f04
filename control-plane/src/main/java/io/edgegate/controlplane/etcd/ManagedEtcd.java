package io.edgegate.controlplane.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import io.edgegate.security.PkiDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.edgegate.controlplane.store.ManagedEtcdLimits;

/**
 * A local single-member etcd that the control plane starts when it is given no
 * {@code --etcd-endpoints}: data under {@code <data-dir>/etcd}, ports remembered there so a
 * restart finds the same member, restarted if it dies, stopped with the control plane. A
 * small watchdog process stops etcd too if the control plane is killed outright.
 */
public final class ManagedEtcd implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ManagedEtcd.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** etcd's own log is kept to two files of about this size: etcd never rotates it. */
    private static final long LOG_LIMIT_BYTES = 16L * 1024 * 1024;
    private static final Duration LOG_CHECK_INTERVAL = Duration.ofMinutes(1);

    private final String binary;
    private final Path dir;
    private final int clientPort;
    private final int peerPort;
    private final Thread supervisor;
    /** Held while a restart launches etcd and while close begins: one of them sees the other's effect. */
    private final Object lifecycle = new Object();
    /** Present when etcd serves TLS and takes only clients with a certificate of its own small CA. */
    private final Optional<PkiDirectory> pki;
    private final LogRotation logRotation;
    private volatile Process etcd;
    private volatile Process watchdog;
    private volatile boolean closing;

    private ManagedEtcd(String binary, Path dir, int clientPort, int peerPort, Optional<PkiDirectory> pki) {
        this.pki = pki;
        this.binary = binary;
        this.dir = dir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.logRotation = new LogRotation(dir.resolve("etcd.log"), LOG_LIMIT_BYTES);
        this.supervisor = new Thread(this::supervise, "etcd-supervisor");
        this.supervisor.setDaemon(true);
    }

    /** Starts etcd under {@code dataDir/etcd} and waits until it accepts connections. */
    public static ManagedEtcd start(String binary, Path dataDir) {
        return start(binary, dataDir, false);
    }

    /**
     * As {@link #start(String, Path)}; with {@code tls}, etcd serves only TLS and takes only clients
     * with a certificate of a CA made for this link under {@code dataDir/etcd/pki} ({@link #access()}).
     */
    public static ManagedEtcd start(String binary, Path dataDir, boolean tls) {
        Path dir = dataDir.resolve("etcd");
        try {
            Files.createDirectories(dir);
            int[] ports = ports(dir.resolve("ports"));
            Optional<PkiDirectory> pki = Optional.empty();
            if (tls) {
                PkiDirectory link = new PkiDirectory(dir.resolve("pki"));
                // Made once, and anew a month before they expire (a restart renews them).
                if (link.needsIssuing("etcd-server", Duration.ofDays(30))) {
                    link.issueServer("etcd-server", List.of("127.0.0.1", "localhost"));
                }
                if (link.needsIssuing("etcd-client", Duration.ofDays(30))) {
                    link.issueClient("etcd-client");
                }
                pki = Optional.of(link);
            }
            ManagedEtcd managed = new ManagedEtcd(binary, dir, ports[0], ports[1], pki);
            managed.launch();
            managed.awaitListening();
            managed.supervisor.start();
            return managed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    public String endpoint() {
        return scheme() + "://127.0.0.1:" + clientPort;
    }

    /** How the control plane reaches this etcd: its CA and client certificate when it runs TLS. */
    public EtcdAccess access() {
        return pki.map(p -> new EtcdAccess(Optional.of(p.caCertificate()), Optional.of(p.certificate("etcd-client")),
                Optional.of(p.key("etcd-client")), Optional.<String>empty(), Optional.<Path>empty())).orElse(EtcdAccess.none());
    }

    private String scheme() {
        return pki.isPresent() ? "https" : "http";
    }

    private void launch() throws IOException {
        String client = endpoint();
        String peer = scheme() + "://127.0.0.1:" + peerPort;
        List<String> command = new ArrayList<>(List.of(binary,
                "--name", "edgegate",
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "edgegate=" + peer,
                "--max-request-bytes", Integer.toString(ManagedEtcdLimits.MAX_REQUEST_BYTES),
                "--max-txn-ops", Integer.toString(ManagedEtcdLimits.MAX_TXN_OPS),
                "--heartbeat-interval", "50",
                "--election-timeout", "500",
                "--logger", "zap",
                "--log-level", "warn"));
        pki.ifPresent(p -> command.addAll(List.of(
                "--cert-file", p.certificate("etcd-server").toString(), "--key-file", p.key("etcd-server").toString(),
                "--trusted-ca-file", p.caCertificate().toString(), "--client-cert-auth",
                "--peer-cert-file", p.certificate("etcd-server").toString(), "--peer-key-file", p.key("etcd-server").toString(),
                "--peer-trusted-ca-file", p.caCertificate().toString(), "--peer-client-cert-auth")));
        rotateLog();
        try {
            etcd = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IOException("cannot run '" + binary + "': install etcd (Debian: apt-get install etcd-server) "
                    + "or pass --etcd-endpoints", e);
        }
        // If this JVM is killed with SIGKILL no shutdown hook runs; the watchdog notices and stops etcd.
        String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done; kill "
                + etcd.pid() + " 2>/dev/null";
        watchdog = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        log.info("started local etcd (pid {}) at {}, data in {}", etcd.pid(), client, dir);
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!etcd.isAlive()) {
                throw new IOException("etcd exited with status " + etcd.exitValue() + "; see " + dir.resolve("etcd.log"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", clientPort), 200);
                return;
            } catch (IOException notYet) {
                pause(50);
            }
        }
        throw new IOException("etcd did not listen on " + endpoint() + " within " + READY_TIMEOUT.toSeconds() + " s");
    }

    private void supervise() {
        long backoffMillis = 500;
        while (!closing) {
            try {
                Process running = etcd;
                while (!running.waitFor(LOG_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                    rotateLog();
                }
                int status = running.exitValue();
                if (closing) {
                    return;
                }
                log.error("local etcd exited with status {}; restarting in {} ms (log: {})", status, backoffMillis, dir.resolve("etcd.log"));
                pause(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 30_000);
                // A signal to the whole process group (Ctrl-C, systemd's stop) ends etcd as the control plane closes:
                // no new etcd once close has begun, or it would outlive the control plane, holding the data and port.
                synchronized (lifecycle) {
                    if (closing) {
                        return;
                    }
                    stopWatchdog();
                    launch();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                log.error("cannot restart local etcd: {}", e.getMessage());
                pause(backoffMillis);
            }
        }
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            closing = true;
        }
        supervisor.interrupt();
        Process p = etcd;
        if (p != null) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopWatchdog();
        log.info("stopped local etcd");
    }

    private void rotateLog() {
        try {
            if (logRotation.rotateIfFull()) {
                log.info("etcd's log passed {} MB: its content is in {}", LOG_LIMIT_BYTES >> 20, logRotation.previous());
            }
        } catch (IOException e) {
            log.warn("cannot rotate etcd's log {}: {}", dir.resolve("etcd.log"), e.toString());
        }
    }

    private void stopWatchdog() {
        Process w = watchdog;
        if (w != null) {
            w.destroyForcibly();
        }
    }

    /** Reuses the ports of an earlier run so the member's advertised URLs stay the same. */
    private static int[] ports(Path file) throws IOException {
        if (Files.exists(file)) {
            String[] saved = Files.readString(file, StandardCharsets.UTF_8).trim().split(",");
            int client = Integer.parseInt(saved[0]);
            int peer = Integer.parseInt(saved[1]);
            if (isFree(client) && isFree(peer)) {
                return new int[] {client, peer};
            }
            log.warn("ports {} of the previous local etcd are taken; choosing new ones", List.of(client, peer));
        }
        int client = freePort();
        int peer = freePort();
        while (peer == client) {
            peer = freePort();
        }
        Files.writeString(file, client + "," + peer + "\n", StandardCharsets.UTF_8);
        return new int[] {client, peer};
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
