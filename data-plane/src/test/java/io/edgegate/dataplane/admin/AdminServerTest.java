package io.edgegate.dataplane.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admin port holds no connection for ever and no more than its cap: it shares the node's file descriptors. */
class AdminServerTest {

    private static final AdminServer.NodeStatus STATUS = new AdminServer.NodeStatus("n1", "e1", 7, true, "cp:1", "stream");

    @Test
    void aSilentConnectionIsClosedAtItsDeadline() throws Exception {
        try (AdminServer admin = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.nio(), () -> STATUS, () -> "",
                Duration.ofMillis(300));
             Socket silent = connect(admin)) {
            silent.setSoTimeout(10_000);
            long started = System.nanoTime();

            assertThat(silent.getInputStream().read()).as("closed by the server, nothing answered").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void connectionsOverTheCapAreClosedAndTheHealthCheckWorksAgainWhenSomeLeave() throws Exception {
        List<Socket> silent = new ArrayList<>();
        try (AdminServer admin = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.nio(), () -> STATUS, () -> "")) {
            for (int i = 0; i < AdminServer.MAX_CONNECTIONS; i++) {
                silent.add(connect(admin));
            }
            // One event loop accepts in order: by the time it takes this one, the 64 before it are counted.
            try (Socket over = connect(admin)) {
                over.setSoTimeout(10_000);
                over.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(over.getInputStream().read()).as("over the cap: closed unanswered").isEqualTo(-1);
            }

            silent.remove(0).close();
            String answer = awaitHealthAnswer(admin);
            assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("\"appliedRevision\":7");
        } finally {
            for (Socket socket : silent) {
                socket.close();
            }
        }
    }

    private static String awaitHealthAnswer(AdminServer admin) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket socket = connect(admin)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                // The closed connection's slot comes free when the server sees it close, a moment after the client does.
                if (!answer.isEmpty() || System.nanoTime() > deadline) {
                    return answer;
                }
            }
        }
    }

    private static Socket connect(AdminServer admin) throws IOException {
        return new Socket("127.0.0.1", admin.port());
    }
}
