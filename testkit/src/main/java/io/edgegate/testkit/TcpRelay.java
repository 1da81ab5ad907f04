package io.edgegate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a free loopback port to a target, that a test can cut (every connection closed
 * and new ones refused) and mend: a network partition between one process and another, for
 * example a control plane and its etcd, while both keep running. Or stall: connections stay open
 * and new ones are taken, but nothing gets through either way — a link that drops packets
 * silently, which neither side hears about unless it asks.
 */
public final class TcpRelay implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean stalled;
    /** Connections that lived through a stall: their bytes were lost, so they end when it does. */
    private final List<Socket> broken = new CopyOnWriteArrayList<>();

    private TcpRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::accept, "tcp-relay-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A relay to {@code host:port}. */
    public static TcpRelay to(String host, int port) {
        try {
            return new TcpRelay(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Closes every relayed connection and refuses new ones until {@link #mend()}. */
    public void cut() {
        cut = true;
        open.forEach(TcpRelay::closeQuietly);
        open.clear();
    }

    public void mend() {
        cut = false;
    }

    /** From now on every byte either way is dropped, and new connections are taken but go nowhere. */
    public void stall() {
        broken.addAll(open);
        stalled = true;
    }

    /**
     * The link is back. Connections that lived through the stall lost bytes, so they are closed (as the
     * peer that gave up on them answers a late packet with a reset); new ones get through again.
     */
    public void heal() {
        stalled = false;
        broken.forEach(TcpRelay::closeQuietly);
        open.removeAll(broken);
        broken.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                if (stalled) {
                    broken.add(client);
                    swallow(client);
                    continue;
                }
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 2000);
                } catch (IOException unreachable) {
                    // As if the target refused: the client sees its connection closed at once.
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                open.add(client);
                open.add(upstream);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (stalled) {
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-relay-pipe");
        t.setDaemon(true);
        t.start();
    }

    /** Reads and drops whatever a connection taken during a stall sends, until it closes. */
    private void swallow(Socket socket) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = socket.getInputStream()) {
                while (in.read(buffer) > 0) {
                    // dropped
                }
            } catch (IOException e) {
                // closed
            } finally {
                closeQuietly(socket);
                broken.remove(socket);
            }
        }, "tcp-relay-stalled");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        cut();
        closeQuietly(server);
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
