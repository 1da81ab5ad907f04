package io.edgegate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports the operating system says are free right now; tests never assume a fixed port. */
public final class FreePorts {

    private FreePorts() {
    }

    public static int pick() {
        return pick("127.0.0.1");
    }

    public static int pick(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
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
                socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
