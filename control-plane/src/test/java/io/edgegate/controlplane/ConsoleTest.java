package io.edgegate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.ConfigDiscoveryGrpc;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.controlplane.security.ControlPlaneSecurity;
import io.edgegate.testkit.FreePorts;
import io.edgegate.security.PkiDirectory;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's HTTP side: the page, the token-for-cookie login, the cluster view and the events that resume after a reconnect. */
class ConsoleTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void eventsResumeFromTheLastOneSeenAndTheViewShowsEachNodesVersion() throws Exception {
        int port = FreePorts.pick();
        int adminPort = FreePorts.pick();
        try (ControlPlane controlPlane = ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", port),
                ControlPlaneSecurity.disabled(), Optional.of(new InetSocketAddress("127.0.0.1", adminPort)))) {
            controlPlane.cache().ready().get(10, TimeUnit.SECONDS);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                ObjectServiceGrpc.ObjectServiceBlockingStub objects = ObjectServiceGrpc.newBlockingStub(channel);
                TestNode node = TestNode.connect(ConfigDiscoveryGrpc.newStub(channel), "node-c");
                long first = objects.apply(RunningControlPlane.documents(TestObjects.pipeline("one"))).getRevision();
                node.ack(awaitRevision(node, first), "");

                String view = get(adminPort, "/ui/api/cluster", null).body();
                assertThat(view).as("an insecure console is open to anyone, as its gRPC port is").contains("\"insecure\":true")
                        .contains("\"nodeId\":\"node-c\"").contains("\"state\":\"READY\"")
                        .containsPattern("\"key\":\\{\"kind\":\"Pipeline\",\"name\":\"one\"},\"revision\":" + first
                                + ",\"nodes\":\\[\\{\"nodeId\":\"node-c\"[^]]*\"status\":\"applied\"");
                assertThat(view).as("specs stay out of the console").doesNotContain("filters");
                String eventId = field(view, "eventId");

                Events events = Events.open(http, adminPort, "?after=" + eventId, null);
                long second = objects.apply(RunningControlPlane.documents(TestObjects.pipeline("two"))).getRevision();
                Event created = events.next("cluster");
                assertThat(created.data()).contains("\"action\":\"CREATED\"").contains("\"name\":\"two\"")
                        .contains("\"revision\":\"" + second + "\"");
                node.ack(awaitRevision(node, second), "");
                Event ack = events.next("cluster");
                assertThat(ack.data()).contains("\"ack\":{\"nodeId\":\"node-c\",\"revision\":\"" + second + "\"");
                events.close();

                // Missed while away: a change and the node's rejection of it.
                long third = objects.apply(RunningControlPlane.documents(TestObjects.pipeline("three"))).getRevision();
                node.ack(awaitRevision(node, third), "cannot listen on 127.0.0.9:80");
                await().atMost(Duration.ofSeconds(5)).until(() -> get(adminPort, "/ui/api/cluster", null).body().contains("REJECTED"));

                Events resumed = Events.open(http, adminPort, "", ack.id());
                assertThat(resumed.next("cluster").data()).contains("\"name\":\"three\"").contains("\"action\":\"CREATED\"");
                assertThat(resumed.next("cluster").data()).contains("\"nodeId\":\"node-c\"").contains("\"revision\":\"" + third + "\"")
                        .contains("cannot listen on 127.0.0.9:80");
                resumed.close();

                Events stranger = Events.open(http, adminPort, "", "0123456789ab.5");
                assertThat(stranger.next("reset").id()).as("an id of another replica's journal: reload").isNotBlank();
                stranger.close();
                node.close();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aTokenIsExchangedForAnHttpOnlyCookieAndNothingIsShownWithout(@TempDir Path dir) throws Exception {
        try (Secured secured = Secured.start(dir)) {
            int adminPort = secured.adminPort();
            String token = secured.token();

            HttpResponse<String> page = get(adminPort, "/ui/", null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>EdgeGate cluster</title>");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("default-src 'self'").contains("frame-ancestors 'none'"));
            assertThat(get(adminPort, "/ui/console.js", null).headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            assertThat(get(adminPort, "/ui/../metrics", null).statusCode()).isNotEqualTo(200);
            assertThat(get(adminPort, "/ui/nothing.js", null).statusCode()).isEqualTo(404);
            assertThat(get(adminPort, "/ui", null).statusCode()).isEqualTo(308);

            for (String call : List.of("/ui/api/cluster", "/ui/api/session", "/ui/api/events")) {
                assertThat(get(adminPort, call, null).statusCode()).as(call).isEqualTo(401);
                assertThat(get(adminPort, call, "edgegate_console=made-up").statusCode()).as(call).isEqualTo(401);
            }
            HttpResponse<String> refused = login(adminPort, "egt_bootstrap-admin.wrong-secret-wrong-secret-wrong", null);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
            assertThat(login(adminPort, token, "http://evil.example").statusCode()).as("another site's page").isEqualTo(403);
            // What a careless or hostile client sends: nothing, a token that is no token, no field, a huge form.
            for (String body : List.of("", "token=", "token=%zz", "name=x", "token=" + "a".repeat(9_000))) {
                HttpResponse<String> odd = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/ui/api/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(odd.statusCode()).as(body.length() > 40 ? "a huge form" : body).isIn(401, 413);
                assertThat(odd.headers().firstValue("Set-Cookie")).isEmpty();
            }
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/ui/api/login")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);

            HttpResponse<String> accepted = login(adminPort, token, "http://127.0.0.1:" + adminPort);
            assertThat(accepted.statusCode()).isEqualTo(200);
            assertThat(accepted.body()).contains("\"role\":\"admin\"").doesNotContain(token.substring(token.lastIndexOf('.') + 1));
            String setCookie = accepted.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("edgegate_console=").contains("; HttpOnly").contains("; SameSite=Strict")
                    .contains("; Path=/ui/").doesNotContain(token.substring(token.lastIndexOf('.') + 1));
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));

            HttpResponse<String> view = get(adminPort, "/ui/api/cluster", cookie);
            assertThat(view.statusCode()).isEqualTo(200);
            assertThat(view.body()).contains("\"insecure\":false").contains("\"name\":\"bootstrap-admin\"");
            assertThat(view.headers().firstValue("Cache-Control")).hasValue("no-store");

            HttpResponse<String> out = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/ui/api/logout"))
                    .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(out.statusCode()).isEqualTo(204);
            assertThat(out.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
            assertThat(get(adminPort, "/ui/api/cluster", cookie).statusCode()).as("the session ended").isEqualTo(401);
        }
    }

    private static long awaitRevision(TestNode node, long revision) throws Exception {
        long seen;
        do {
            seen = node.next().getRevision();
        } while (seen < revision);
        return seen;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    @Test
    void guessedTokensAndSessionsFromOneAddressAreSlowedDown(@TempDir Path dir) throws Exception {
        try (Secured secured = Secured.start(dir)) {
            int adminPort = secured.adminPort();
            String token = secured.token();

            HttpResponse<String> last = null;
            for (int i = 0; i < 60 && (last == null || last.statusCode() != 429); i++) {
                last = i % 2 == 0 ? login(adminPort, "egt_guess-" + i + ".wrong-secret-wrong-secret-wrong", null)
                        : get(adminPort, "/ui/api/cluster", "edgegate_console=guess-" + i + ".9999999999.x");
            }
            assertThat(last.statusCode()).isEqualTo(429);
            assertThat(last.body()).contains("too many failed").contains("from 127.0.0.1");
            // The address waits a moment; then the right token works again.
            await().atMost(Duration.ofSeconds(5)).until(() -> login(adminPort, token, null).statusCode() == 200);
        }
    }

    /** A control plane with TLS, tokens and its admin listener (the console), and its admin token. */
    private record Secured(ControlPlane controlPlane, int adminPort, String token) implements AutoCloseable {

        static Secured start(Path dir) throws Exception {
            PkiDirectory pki = new PkiDirectory(dir.resolve("pki"));
            Path tokenFile = dir.resolve("admin.token");
            int adminPort = FreePorts.pick();
            ControlPlane controlPlane = ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", FreePorts.pick()),
                    ControlPlaneSecurity.tls(pki.issueServer("control-plane", List.of("127.0.0.1")), tokenFile),
                    Optional.of(new InetSocketAddress("127.0.0.1", adminPort)));
            controlPlane.cache().ready().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(tokenFile));
            return new Secured(controlPlane, adminPort, Files.readString(tokenFile).strip());
        }

        @Override
        public void close() {
            controlPlane.close();
        }
    }

    private HttpResponse<String> login(int port, String token, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ui/api/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8)));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private record Event(String id, String name, String data) {
    }

    /** A server-sent event stream read on a thread of its own. */
    private static final class Events implements AutoCloseable {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final java.util.concurrent.CompletableFuture<HttpResponse<Stream<String>>> response;

        private Events(java.util.concurrent.CompletableFuture<HttpResponse<Stream<String>>> response) {
            this.response = response;
        }

        static Events open(HttpClient http, int port, String query, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ui/api/events" + query));
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            Events events = new Events(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines()));
            HttpResponse<Stream<String>> answered = events.response.get(5, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(answered.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            Thread reader = new Thread(() -> answered.body().forEach(events.lines::add));
            reader.setDaemon(true);
            reader.start();
            return events;
        }

        /** The next event of that name (keep-alives and the retry hint skipped). */
        Event next(String name) throws InterruptedException {
            List<String> block = new ArrayList<>();
            while (true) {
                String line = lines.poll(10, TimeUnit.SECONDS);
                assertThat(line).as("an event within 10 s").isNotNull();
                if (!line.isEmpty()) {
                    block.add(line);
                    continue;
                }
                String id = value(block, "id: ");
                String event = value(block, "event: ");
                String data = value(block, "data: ");
                block.clear();
                if (name.equals(event)) {
                    return new Event(id, event, data);
                }
            }
        }

        private static String value(List<String> block, String prefix) {
            return block.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst().orElse("");
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
        }
    }
}
