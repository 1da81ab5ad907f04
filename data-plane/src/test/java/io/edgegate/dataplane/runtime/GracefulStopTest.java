package io.edgegate.dataplane.runtime;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node told to stop (SIGTERM) stops accepting and lets the requests in flight finish, as NGINX's graceful stop. */
class GracefulStopTest {

    /** A node of its own: it is stopped. */
    @RegisterExtension
    static final LocalNode node = new LocalNode(io.edgegate.security.TlsProvider.AUTO);

    @Test
    void aRequestInFlightWhenTheNodeStopsIsAnsweredWhole() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend slow = EchoBackend.start("slow")) {
            node.apply(server("s", port, "p"), proxyPipeline("p", "roundRobin", slow.url()));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow?delay=1500")).build(),
                    HttpResponse.BodyHandlers.ofString());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> slow.requestCount() == 1);

            long started = System.nanoTime();
            node.updater().shutdown(Duration.ofSeconds(10));
            long stopped = System.nanoTime() - started;

            HttpResponse<String> answer = inFlight.get();
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("slow");
            assertThat(Duration.ofNanos(stopped)).as("the stop waited for the request, not for its whole grace")
                    .isBetween(Duration.ofMillis(500), Duration.ofSeconds(8));
            assertThat(accepts(port)).as("the port, once stopped").isFalse();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
