package io.edgegate.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports free right now; tests never assume a fixed port. They come from below the kernel's
 * ephemeral range: a port the kernel hands out for binding to 0 is one it may also give the next
 * outgoing connection (or one still in TIME_WAIT), and a test that opens hundreds of upstream
 * connections then made another test's listener fail with "Address already in use".
 */
public final class FreePorts {

    /** Where picked ports start; the ephemeral range is read from the kernel and ports stop below it. */
    private static final int LOWEST = 10_000;
    private static final int EPHEMERAL_START = ephemeralStart();
    /**
     * Picks walk forward from a random start, so a JVM never hands out a port again until it has gone
     * round the whole range: a port picked but not bound yet (a server a test starts later), or one a
     * stopped backend will bind again, looks free to a bind check and was picked twice.
     */
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(EPHEMERAL_START - LOWEST));

    private FreePorts() {
    }

    public static int pick() {
        return pick("127.0.0.1");
    }

    public static int pick(String host) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = LOWEST + Math.floorMod(NEXT.getAndIncrement(), EPHEMERAL_START - LOWEST);
            if (isFreeOnAll(port, host)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on " + host + " below " + EPHEMERAL_START);
    }

    /** The first port of the kernel's ephemeral range (Linux's default, 32768, where it cannot be read). */
    private static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1_000 ? start : 32_768;
        } catch (IOException | RuntimeException unreadable) {
            return 32_768;
        }
    }

    /** A port free on every one of {@code hosts}, for a server that binds it on several loopback addresses. */
    public static int pickOnAll(String... hosts) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = pick(hosts[0]);
            if (isFreeOnAll(port, hosts)) {
                return port;
            }
        }
        throw new IllegalStateException("no port free on all of " + String.join(", ", hosts));
    }

    private static boolean isFreeOnAll(int port, String... hosts) {
        for (String host : hosts) {
            try (ServerSocket socket = new ServerSocket()) {
                // Strict: a port some connection still holds in TIME_WAIT is not free for a listener without SO_REUSEADDR.
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
