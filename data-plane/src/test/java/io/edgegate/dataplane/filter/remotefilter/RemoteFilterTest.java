package io.edgegate.dataplane.filter.remotefilter;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RemoteFilter against a real HTTP service that reads and rewrites Easegress's JSON context. */
class RemoteFilterTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer remote;
    /** What the service does with each context it receives; returns the status it answers with. */
    private final AtomicReference<java.util.function.Function<ObjectNode, Integer>> behaviour = new AtomicReference<>();
    private final List<ObjectNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void startRemote() throws Exception {
        remote = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        remote.createContext("/filter", exchange -> {
            ObjectNode context = (ObjectNode) JSON.readTree(exchange.getRequestBody());
            seen.add(context.deepCopy());
            int status = behaviour.get().apply(context);
            byte[] out = JSON.writeValueAsBytes(context);
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        remote.start();
    }

    @AfterEach
    void stopRemote() {
        remote.stop(0);
    }

    private String pipeline(EchoBackend app) {
        return example("filters/remote-filter.yaml", app.url())
                .replace("http://127.0.0.1:9096/filter", "http://127.0.0.1:" + remote.getAddress().getPort() + "/filter");
    }

    private static HttpResponse<String> post(int port, String body) {
        return node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders?id=7"))
                .header("X-Client", "c1").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void theServiceSeesTheRequestAndItsChangesReachTheBackend() throws Exception {
        int port = FreePorts.pick();
        behaviour.set(context -> {
            ObjectNode request = (ObjectNode) context.get("request");
            request.put("path", "/checked" + request.get("path").asText());
            ((ObjectNode) request.get("header")).putArray("X-Checked").add("yes");
            request.put("body", Base64.getEncoder().encodeToString("rewritten".getBytes(StandardCharsets.UTF_8)));
            return 200;
        });
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "remote-filter"), pipeline(app));

            HttpResponse<String> response = post(port, "original");

            ObjectNode request = (ObjectNode) seen.get(0).get("request");
            assertThat(request.get("method").asText()).isEqualTo("POST");
            assertThat(request.get("path").asText()).isEqualTo("/orders");
            assertThat(request.get("query").asText()).isEqualTo("id=7");
            assertThat(request.get("realIP").asText()).isEqualTo("127.0.0.1");
            assertThat(request.get("header").get("X-Client").get(0).asText()).isEqualTo("c1");
            assertThat(new String(Base64.getDecoder().decode(request.get("body").asText()), StandardCharsets.UTF_8)).isEqualTo("original");
            assertThat(seen.get(0).get("response").get("statusCode").asInt()).isEqualTo(200);
            EchoBackend.ReceivedRequest received = app.received().get(0);
            assertThat(received.uri()).isEqualTo("/checked/orders?id=7");
            assertThat(received.header("X-Checked")).isEqualTo("yes");
            assertThat(received.body()).isEqualTo("rewritten");
            // The service's 200 response was replaced by the Proxy's answer, as in Easegress.
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("app\nPOST /checked/orders");
        }
    }

    @Test
    void a205IsTheAnswerAndAFailureIs503() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "remote-filter"), pipeline(app));
            behaviour.set(context -> {
                ObjectNode response = (ObjectNode) context.get("response");
                response.put("statusCode", 403);
                response.put("body", Base64.getEncoder().encodeToString("denied".getBytes(StandardCharsets.UTF_8)));
                return 205;
            });
            HttpResponse<String> answered = post(port, "x");
            behaviour.set(context -> 500);
            HttpResponse<String> failed = post(port, "x");
            behaviour.set(context -> {
                try {
                    Thread.sleep(1_500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 200;
            });
            HttpResponse<String> tooSlow = post(port, "x");
            HttpResponse<String> tooLarge = post(port, "y".repeat(70_000));

            assertThat(answered.statusCode()).isEqualTo(403);
            assertThat(answered.body()).isEqualTo("denied");
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(tooSlow.statusCode()).isEqualTo(503);
            assertThat(tooLarge.statusCode()).isEqualTo(503);
            assertThat(app.received()).isEmpty();
        }
    }
}
