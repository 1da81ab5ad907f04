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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A warm egctl for one user: {@code bin/egctl} hands it a command line instead of starting a JVM
 * for each call (JVM start and class loading are most of an egctl call). It listens on a loopback
 * port of its own and takes only callers that show the cookie in its state file, which only its
 * user can read; it exits after {@link #IDLE} without calls, when egctl's jar changes (the
 * launcher starts another) or when another daemon took its place. {@code EGCTL_DAEMON=off} keeps
 * the launcher from using it.
 *
 * <p>Usage: {@code EgctlDaemon STATE_FILE VERSION}; the state file gets "port cookie version pid".
 */
public final class EgctlDaemon {

    static final Duration IDLE = Duration.ofMinutes(15);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);
    /** Calls run at once; more wait for a thread. */
    private static final int THREADS = 8;

    private final ServerSocket server;
    private final String cookie;
    private final String version;
    private final ExecutorService calls;

    private EgctlDaemon(ServerSocket server, String cookie, String version) {
        this.server = server;
        this.cookie = cookie;
        this.version = version;
        AtomicInteger threads = new AtomicInteger();
        this.calls = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "egctl-call-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: EgctlDaemon STATE_FILE VERSION");
            System.exit(2);
        }
        Path state = Path.of(args[0]).toAbsolutePath();
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        EgctlDaemon daemon = new EgctlDaemon(server, HexFormat.of().formatHex(secret), args[1]);
        daemon.warmUp();
        daemon.publish(state);
        daemon.serve(state);
        System.exit(0);
    }

    /** Loads what every call needs before the first one comes (the launcher's first call ran without the daemon). */
    private void warmUp() {
        DaemonCall.warmUp();
    }

    /** Writes "port cookie version pid" where only this user can read it, replacing the file in one step. */
    private void publish(Path state) throws IOException {
        Files.createDirectories(state.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path pending = state.resolveSibling(state.getFileName() + ".pending-" + ProcessHandle.current().pid());
        Files.writeString(pending, "", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(pending, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(pending, server.getLocalPort() + " " + cookie + " " + version + " " + ProcessHandle.current().pid() + "\n",
                StandardCharsets.US_ASCII);
        Files.move(pending, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(new DaemonState(state).startingMark());
    }

    /** Until idle for {@link #IDLE}, replaced by another daemon in the state file, or its jar changed (a new build). */
    private void serve(Path state) throws IOException {
        server.setSoTimeout((int) CHECK_EVERY.toMillis());
        long lastCall = System.nanoTime();
        while (true) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (SocketTimeoutException quiet) {
                if (System.nanoTime() - lastCall > IDLE.toNanos() || !stillWanted(state)) {
                    return;
                }
                continue;
            }
            lastCall = System.nanoTime();
            calls.execute(new DaemonCall(socket, cookie, version));
        }
    }

    private boolean stillWanted(Path state) {
        try {
            String published = Files.readString(state, StandardCharsets.US_ASCII);
            return published.startsWith(server.getLocalPort() + " " + cookie + " ") && version.equals(jarVersion());
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
