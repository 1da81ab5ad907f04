package io.edgegate.dataplane.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream that records every byte it receives and, unless given answers, never answers: tells
 * whether a proxy forwarded anything at all (an HTTP backend only counts whole requests), and when
 * it closed its connection.
 */
final class RecordingUpstream implements AutoCloseable {

    /** The bytes to write for the n-th request head (from 0) on a connection; null closes the connection. */
    interface Answers {
        String answer(int requestOnConnection);
    }

    private final Answers answers;
    /** Told of each connection's output as it is accepted, to write on it outside any answer. */
    private final java.util.function.Consumer<java.io.OutputStream> accepted;
    private final ServerSocket server;
    private final StringBuffer received = new StringBuffer();
    private final AtomicInteger closedByPeer = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    RecordingUpstream() throws IOException {
        this(null);
    }

    /** Answers each request head (a blank line ends one: bodies sent to it must hold none) as {@code answers} says. */
    RecordingUpstream(Answers answers) throws IOException {
        this(answers, out -> { });
    }

    RecordingUpstream(Answers answers, java.util.function.Consumer<java.io.OutputStream> accepted) throws IOException {
        this.answers = answers;
        this.accepted = accepted;
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::accept, "recording-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Everything received so far, on all connections, as ISO-8859-1 text. */
    String received() {
        return received.toString();
    }

    /** Connections the proxy closed. */
    int closedByPeer() {
        return closedByPeer.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                accepted.accept(socket.getOutputStream());
                Thread reader = new Thread(() -> read(socket), "recording-upstream-reader");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void read(Socket socket) {
        byte[] buffer = new byte[8192];
        StringBuilder connection = new StringBuilder();
        int heads = 0;
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                String text = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                received.append(text);
                connection.append(text);
                if (answers == null) {
                    continue;
                }
                int end;
                while ((end = connection.indexOf("\r\n\r\n")) >= 0) {
                    connection.delete(0, end + 4);
                    String answer = answers.answer(heads++);
                    if (answer == null) {
                        socket.close();
                        break;
                    }
                    socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                }
            }
            closedByPeer.incrementAndGet();
        } catch (IOException e) {
            closedByPeer.incrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
