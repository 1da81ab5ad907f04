package io.edgegate.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-client connection limits: one client's excess connections are closed, other clients are untouched. */
class ClientLimitsTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static boolean served(RawClient client) {
        try {
            return client.get("/pipeline").startsWith("HTTP/1.1 200");
        } catch (IOException closed) {
            return false;
        }
    }

    @Test
    void aClientOverItsOpenConnectionsIsClosedWhileAnotherIsServed() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(LocalNode.example("server/client-limits.yaml").replace("port: 10080", "port: " + port)
                    .replace("maxConnections: 20", "maxConnections: 3").replace("newPerSecond: 50", "newPerSecond: 1000"),
                    LocalNode.proxyPipeline("pipeline-reverse-proxy", "roundRobin", app.url()));
            List<RawClient> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawClient client = new RawClient(port, "127.0.0.1");
                    held.add(client);
                    assertThat(served(client)).as("connection " + i).isTrue();
                }
                try (RawClient fourth = new RawClient(port, "127.0.0.1")) {
                    assertThat(fourth.isClosedByPeer()).isTrue();
                }
                try (RawClient other = new RawClient(port, "127.0.0.9")) {
                    assertThat(served(other)).as("another client").isTrue();
                }
                held.remove(0).close();
                // A freed slot is usable again (the close reaches the server asynchronously).
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2)).until(() -> {
                    try (RawClient again = new RawClient(port, "127.0.0.1")) {
                        return served(again);
                    }
                });
            } finally {
                for (RawClient client : held) {
                    client.close();
                }
            }
        }
    }

    @Test
    void aClientOpeningConnectionsTooFastIsClosed() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(LocalNode.example("server/client-limits.yaml").replace("port: 10080", "port: " + port)
                    .replace("maxConnections: 20", "maxConnections: 0").replace("newPerSecond: 50", "newPerSecond: 5"),
                    LocalNode.proxyPipeline("pipeline-reverse-proxy", "roundRobin", app.url()));
            int accepted = 0;
            for (int i = 0; i < 30; i++) {
                try (RawClient client = new RawClient(port, "127.0.0.3")) {
                    accepted += served(client) ? 1 : 0;
                }
            }
            // 5 per second: 30 connections in well under a second span at most two seconds.
            assertThat(accepted).isBetween(5, 10);
            try (RawClient quiet = new RawClient(port, "127.0.0.4")) {
                assertThat(served(quiet)).isTrue();
            }
        }
    }
}
