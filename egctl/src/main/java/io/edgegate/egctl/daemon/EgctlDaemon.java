package io.edgegate.egctl.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A warm egctl for one user: {@code bin/egctl} hands it a command line instead of starting a JVM
 * for each call (JVM start and class loading are most of an egctl call). It listens on a loopback
 * port of its own; a launcher first makes it prove it knows the cookie in its state file (which
 * only its user can read) and only then sends the call with that cookie (see {@link DaemonCall}).
 * It exits after {@link #IDLE} without calls, when egctl's jar changes (the launcher starts
 * another) or when another daemon took its place, after the calls it runs have ended, and removes
 * its state file. {@code EGCTL_DAEMON=off} keeps the launcher from using it.
 *
 * <p>Usage: {@code EgctlDaemon STATE_FILE VERSION}; the state file gets "port cookie version pid".
 */
public final class EgctlDaemon {

    static final Duration IDLE = Duration.ofMinutes(15);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);
    /** Calls at once; a connection beyond them is closed at once, and its launcher runs egctl itself. */
    private static final int MAX_CALLS = 32;
    /** How long the calls under way may take to end once the daemon is to exit. */
    private static final Duration LAST_CALLS = Duration.ofMinutes(10);

    private final ServerSocket server;
    private final String cookie;
    private final String version;
    private final ThreadPoolExecutor calls;
    private final AtomicInteger running = new AtomicInteger();
    private volatile long lastCallEndedNanos = System.nanoTime();

    private EgctlDaemon(ServerSocket server, String cookie, String version) {
        this.server = server;
        this.cookie = cookie;
        this.version = version;
        AtomicInteger threads = new AtomicInteger();
        this.calls = new ThreadPoolExecutor(0, MAX_CALLS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "egctl-call-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: EgctlDaemon STATE_FILE VERSION");
            System.exit(2);
        }
        Path state = Path.of(args[0]).toAbsolutePath();
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        EgctlDaemon daemon = new EgctlDaemon(server, HexFormat.of().formatHex(secret), args[1]);
        DaemonCall.warmUp();
        daemon.publish(state);
        daemon.serve(state);
        daemon.finish(state);
        System.exit(0);
    }

    /** Writes "port cookie version pid" where only this user can read it, replacing the file in one step. */
    private void publish(Path state) throws IOException {
        Files.createDirectories(state.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path pending = state.resolveSibling(state.getFileName() + ".pending-" + ProcessHandle.current().pid());
        Files.writeString(pending, "", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(pending, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(pending, published(), StandardCharsets.US_ASCII);
        Files.move(pending, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(new DaemonState(state).startingMark());
    }

    private String published() {
        return server.getLocalPort() + " " + cookie + " " + version + " " + ProcessHandle.current().pid() + "\n";
    }

    /** Until idle for {@link #IDLE}, replaced by another daemon in the state file, or its jar changed (a new build). */
    private void serve(Path state) throws IOException {
        server.setSoTimeout((int) CHECK_EVERY.toMillis());
        while (true) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (SocketTimeoutException quiet) {
                boolean idle = running.get() == 0 && System.nanoTime() - lastCallEndedNanos > IDLE.toNanos();
                if (idle || !stillWanted(state)) {
                    return;
                }
                continue;
            }
            running.incrementAndGet();
            try {
                calls.execute(() -> {
                    try {
                        new DaemonCall(socket, cookie, version).run();
                    } finally {
                        lastCallEndedNanos = System.nanoTime();
                        running.decrementAndGet();
                    }
                });
            } catch (RejectedExecutionException busy) {
                running.decrementAndGet();
                socket.close();
            }
        }
    }

    /** Lets the calls under way end, then removes the state file if it still names this daemon. */
    private void finish(Path state) throws IOException, InterruptedException {
        server.close();
        calls.shutdown();
        calls.awaitTermination(LAST_CALLS.toMillis(), TimeUnit.MILLISECONDS);
        try {
            if (Files.readString(state, StandardCharsets.US_ASCII).equals(published())) {
                Files.delete(state);
            }
        } catch (IOException e) {
            // Gone already, or another daemon's now.
        }
    }

    private boolean stillWanted(Path state) {
        try {
            return Files.readString(state, StandardCharsets.US_ASCII).equals(published()) && version.equals(jarVersion());
        } catch (IOException e) {
            return false;
        }
    }

    /** As bin/egctl tells builds apart: the jar's modification time in seconds and its size. */
    private static String jarVersion() throws IOException {
        Path jar;
        try {
            jar = Path.of(EgctlDaemon.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        return Files.getLastModifiedTime(jar).toMillis() / 1000 + "-" + Files.size(jar);
    }
}
