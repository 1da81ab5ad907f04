package io.edgegate.dataplane.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The access log: one valid line per request with what an operator looks for, and never a wait for the disk. */
class AccessLogTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aThousandRequestsGiveAThousandJsonLinesWithoutTheirQueries() throws Exception {
        try (EchoBackend app = EchoBackend.start("app")) {
            int port = FreePorts.pick();
            node.apply(LocalNode.server("logged", port, "logged-proxy"), LocalNode.proxyPipeline("logged-proxy", "roundRobin", app.url()));
            long before = node.accessLog().written();
            java.util.Map<String, Integer> bodySizes = new java.util.HashMap<>();
            for (int i = 0; i < 1_000; i++) {
                var answer = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders?page=" + i))
                        .header("X-Request-Id", "req-" + i).header("User-Agent", "load/1.0").build());
                assertThat(answer.statusCode()).isEqualTo(200);
                bodySizes.put("req-" + i, answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> node.accessLog().written() >= before + 1_000);

            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(node.accessLogFile())) {
                JsonNode parsed = json.readTree(line);
                if (parsed.get("server").asText().equals("logged")) {
                    lines.add(parsed);
                }
            }
            assertThat(lines).hasSize(1_000);
            Set<String> ids = new HashSet<>();
            for (JsonNode line : lines) {
                assertThat(line.get("status").asInt()).isEqualTo(200);
                assertThat(line.get("path").asText()).isEqualTo("/orders");
                assertThat(line.get("method").asText()).isEqualTo("GET");
                assertThat(line.get("backend").asText()).isEqualTo("logged-proxy");
                assertThat(line.get("upstream").asText()).isEqualTo(app.url());
                assertThat(line.get("clientIp").asText()).isEqualTo("127.0.0.1");
                assertThat(line.get("userAgent").asText()).isEqualTo("load/1.0");
                assertThat(line.get("node").asText()).isEqualTo("local");
                assertThat(line.get("durationMs").asDouble()).isNotNegative();
                // Logged once the body was written: its size, and the time to its last byte.
                assertThat(line.get("responseBytes").asInt()).isEqualTo(bodySizes.get(line.get("requestId").asText())).isPositive();
                assertThat(line.get("totalMs").asDouble()).isGreaterThanOrEqualTo(line.get("durationMs").asDouble());
                ids.add(line.get("requestId").asText());
            }
            assertThat(ids).hasSize(1_000).contains("req-0", "req-999");
        }
    }

    @Test
    void aRefusedRequestNamesTheFilterAndResultThatEndedIt() throws Exception {
        int port = FreePorts.pick();
        node.apply(LocalNode.server("refusing", port, "jwt-demo"), LocalNode.example("filters/validator-jwt.yaml", "http://127.0.0.1:1"));
        long before = node.accessLog().written();
        assertThat(node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/private?token=abc"))
                .header("X-Client", "web").build()).statusCode()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(5)).until(() -> node.accessLog().written() > before);
        JsonNode line = null;
        for (String text : Files.readAllLines(node.accessLogFile())) {
            JsonNode parsed = json.readTree(text);
            if (parsed.get("server").asText().equals("refusing")) {
                line = parsed;
            }
        }
        assertThat(line).isNotNull();
        assertThat(line.get("status").asInt()).isEqualTo(401);
        assertThat(line.get("filter").asText()).isEqualTo("validator");
        assertThat(line.get("result").asText()).isEqualTo("invalid");
        assertThat(line.get("path").asText()).isEqualTo("/private");
        assertThat(line.toString()).doesNotContain("token=abc");
    }

    /**
     * The line tells the request as the client sent it, whatever filters made of it on its way upstream, and names
     * the client a trusted proxy forwarded for, as IP filters see it.
     */
    @Test
    void theLineShowsTheClientsRequestAndTheClientBehindATrustedProxy() throws Exception {
        try (EchoBackend app = EchoBackend.start("app")) {
            int port = FreePorts.pick();
            node.apply("""
                    kind: HTTPServer
                    name: adapted
                    port: %d
                    trustedProxies: [127.0.0.1/32]
                    rules:
                    - paths:
                      - pathPrefix: /
                        backend: adapting
                    """.formatted(port), """
                    kind: HTTPPipeline
                    name: adapting
                    flow:
                    - filter: adapt
                    - filter: proxy
                    filters:
                    - name: adapt
                      kind: RequestAdaptor
                      method: POST
                      host: internal.svc
                    - name: proxy
                      kind: Proxy
                      mainPool:
                        servers:
                        - url: %s
                    """.formatted(app.url()));
            long before = node.accessLog().written();
            assertThat(node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                    .header("X-Request-Id", "as-sent").header("X-Forwarded-For", "203.0.113.7").build()).statusCode()).isEqualTo(200);
            assertThat(app.received().get(app.received().size() - 1).method()).as("the adaptor did change it").isEqualTo("POST");
            await().atMost(Duration.ofSeconds(5)).until(() -> node.accessLog().written() > before);

            JsonNode line = lineOf("as-sent");
            assertThat(line).isNotNull();
            assertThat(line.get("method").asText()).isEqualTo("GET");
            assertThat(line.get("host").asText()).isEqualTo("127.0.0.1:" + port);
            assertThat(line.get("clientIp").asText()).isEqualTo("203.0.113.7");
        }
    }

    /** An upstream whose body breaks off is the upstream's fault (UC), not the client leaving (DC). */
    @Test
    void anUpstreamBodyThatBreaksOffIsFlaggedUpstreamNotClient() throws Exception {
        try (java.net.ServerSocket upstream = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread breaking = new Thread(() -> {
                try (java.net.Socket socket = upstream.accept()) {
                    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream()));
                    while (!in.readLine().isEmpty()) {
                        // the request's head
                    }
                    socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                } catch (java.io.IOException e) {
                    // the test sees the outcome in the log
                }
            });
            breaking.start();
            int port = FreePorts.pick();
            node.apply(LocalNode.server("broken", port, "broken-proxy"),
                    LocalNode.proxyPipeline("broken-proxy", "roundRobin", "http://127.0.0.1:" + upstream.getLocalPort()));
            long before = node.accessLog().written();
            try (java.net.Socket client = new java.net.Socket("127.0.0.1", port)) {
                client.getOutputStream().write("GET /cut HTTP/1.1\r\nHost: h\r\nX-Request-Id: cut-short\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                client.getInputStream().readAllBytes();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> node.accessLog().written() > before);

            JsonNode line = lineOf("cut-short");
            assertThat(line).isNotNull();
            assertThat(line.get("responseFlags").asText()).contains("UC").doesNotContain("DC");
        }
    }

    @Test
    void responseFlagsAndTheUpstreamsStatusSayWhyARequestEndedAsItDid() throws Exception {
        try (EchoBackend app = EchoBackend.start("app")) {
            int port = FreePorts.pick();
            node.apply("""
                    kind: HTTPServer
                    name: flagged
                    port: %d
                    rules:
                    - paths:
                      - pathPrefix: /api
                        backend: rate-limited-api
                      - pathPrefix: /refused
                        backend: refused-proxy
                      - pathPrefix: /retried
                        backend: retried-proxy
                    """.formatted(port), LocalNode.example("filters/rate-limiter.yaml", app.url()),
                    LocalNode.proxyPipeline("refused-proxy", "roundRobin", "http://127.0.0.1:" + FreePorts.pick()),
                    LocalNode.retriedPipeline("retried-proxy", 2, app.url()));
            long before = node.accessLog().written();
            assertThat(get(port, "/nowhere", "no-route")).isEqualTo(404);
            assertThat(get(port, "/refused", "connect-failed")).isEqualTo(502);
            app.failNext(2, io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE);
            assertThat(get(port, "/retried", "retries-exhausted")).isEqualTo(503);
            assertThat(get(port, "/api/ok", "served")).isEqualTo(200);
            int limited = 0;
            for (int i = 0; i < 30 && limited == 0; i++) {
                if (get(port, "/api/" + i, "limited-" + i) == 429) {
                    limited++;
                }
            }
            assertThat(limited).as("the limiter refused one of 30 requests at once").isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> node.accessLog().written() >= before + 5);
            java.util.Map<String, JsonNode> lines = new java.util.HashMap<>();
            for (String text : Files.readAllLines(node.accessLogFile())) {
                JsonNode parsed = json.readTree(text);
                if (parsed.get("server").asText().equals("flagged")) {
                    lines.put(parsed.get("requestId").asText(), parsed);
                }
            }
            assertThat(lines.get("no-route").get("responseFlags").asText()).isEqualTo("NR");
            assertThat(lines.get("connect-failed").get("responseFlags").asText()).isEqualTo("UF");
            assertThat(lines.get("connect-failed").get("upstreamStatus").isNull()).isTrue();
            assertThat(lines.get("retries-exhausted").get("responseFlags").asText()).isEqualTo("URX");
            assertThat(lines.get("retries-exhausted").get("upstreamStatus").asInt()).isEqualTo(503);
            assertThat(lines.get("served").get("responseFlags").asText()).isEqualTo("-");
            assertThat(lines.get("served").get("upstreamStatus").asInt()).isEqualTo(200);
            JsonNode refused = lines.values().stream().filter(l -> l.get("status").asInt() == 429).findFirst().orElseThrow();
            assertThat(refused.get("responseFlags").asText()).isEqualTo("RL");
            assertThat(refused.get("upstreamStatus").isNull()).isTrue();
        }
    }

    private int get(int port, String path, String requestId) {
        return node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("X-Request-Id", requestId).build())
                .statusCode();
    }

    @Test
    void aLogFileNobodyReadsNeverHoldsUpTheCallerAndItsLinesAreCountedAsDropped(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("blocked.log");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor(5, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo").isTrue();
        AccessLog accessLog = AccessLog.start("n", AccessLogFormat.JSON, AccessLogOutput.file(fifo, 1 << 20, 1), 100, 1);
        try {
            // The writer thread is stuck opening the FIFO; every call here must still return at once.
            for (int i = 0; i < 10_000; i++) {
                if (accessLog.admit(200)) {
                    accessLog.log(record(200, "/x"));
                }
            }
            // Kept: the queue's 100 and the one the writer holds while it waits for the FIFO.
            assertThat(accessLog.dropped()).isGreaterThanOrEqualTo(10_000 - 101);
            assertThat(accessLog.written()).isZero();
        } finally {
            // Let the writer go: a reader opens the FIFO.
            try (var reader = Files.newInputStream(fifo)) {
                accessLog.close();
            }
        }
    }

    @Test
    void aFullDiskLosesNoRequestAndEveryLineItCouldNotTakeIsCountedAsDropped() throws Exception {
        // /dev/full refuses every write with ENOSPC, as a full disk does.
        AccessLog accessLog = AccessLog.start("n", AccessLogFormat.JSON, AccessLogOutput.file(Path.of("/dev/full"), 1 << 20, 1), 10_000, 1);
        try {
            for (int i = 0; i < 500; i++) {
                accessLog.log(record(200, "/x"));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> accessLog.dropped() == 500);
            assertThat(accessLog.written()).isZero();
        } finally {
            accessLog.close();
        }
    }

    @Test
    void aFileMovedAwayGetsTheLinesWrittenForItAndANewFileTakesTheRest(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        Path moved = dir.resolve("access.log.old");
        AccessLog accessLog = AccessLog.start("n", AccessLogFormat.JSON, AccessLogOutput.file(file, 1L << 30, 1), 10_000, 1);
        int[] logged = {0};
        try {
            for (; logged[0] < 100; logged[0]++) {
                accessLog.log(record(200, "/before/" + logged[0]));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> accessLog.written() == 100);
            // What logrotate does without copytruncate: the file is renamed while the node still writes.
            Files.move(file, moved);
            // The node looks once a second whether its file is still there.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
                accessLog.log(record(200, "/after/" + logged[0]++));
                return Files.exists(file);
            });
        } finally {
            accessLog.close();
        }
        List<String> before = Files.readAllLines(moved);
        List<String> after = Files.readAllLines(file);
        assertThat(before.size() + after.size()).isEqualTo(logged[0]);
        assertThat(accessLog.written()).isEqualTo(logged[0]);
        List<String> paths = new ArrayList<>();
        for (String line : before) {
            paths.add(json.readTree(line).get("path").asText());
        }
        for (String line : after) {
            paths.add(json.readTree(line).get("path").asText());
        }
        assertThat(paths.subList(0, 100)).allMatch(path -> path.startsWith("/before/"));
        assertThat(paths.get(paths.size() - 1)).isEqualTo("/after/" + (logged[0] - 1));
        assertThat(after).isNotEmpty().allMatch(line -> line.contains("\"path\":\"/after/"));
    }

    @Test
    void linesOfEventLoopsReachTheFileWithinMillisecondsAndInTheirLoopsOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        AccessLog accessLog = AccessLog.start("n", AccessLogFormat.JSON, AccessLogOutput.file(file, 1L << 30, 1), 10_000, 1);
        EventLoopGroup loops = new DefaultEventLoopGroup(2);
        try {
            List<EventLoop> both = List.of(loops.next(), loops.next());
            // A trickle: one line per loop, far from filling a chunk, still arrives on its own.
            for (EventLoop loop : both) {
                loop.submit(() -> accessLog.log(record(200, "/trickle"), loop)).sync();
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> accessLog.written() == 2);
            assertThat(Files.readAllLines(file)).hasSize(2).allMatch(line -> line.contains("\"path\":\"/trickle\""));

            // A flood over several chunks from both loops: every line whole, each loop's in its order.
            for (int l = 0; l < 2; l++) {
                EventLoop loop = both.get(l);
                String prefix = "/loop" + l + "/";
                loop.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        accessLog.log(record(200, prefix + i), loop);
                    }
                }).sync();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> accessLog.written() == 4_002);
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(4_002);
            for (int l = 0; l < 2; l++) {
                String prefix = "/loop" + l + "/";
                List<Integer> order = new ArrayList<>();
                for (String line : lines) {
                    String path = json.readTree(line).get("path").asText();
                    if (path.startsWith(prefix)) {
                        order.add(Integer.parseInt(path.substring(prefix.length())));
                    }
                }
                assertThat(order).hasSize(2_000).isSorted();
            }
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            accessLog.close();
        }
    }

    @Test
    void aLineLargerThanAChunkIsWrittenWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        AccessLog accessLog = AccessLog.start("n", AccessLogFormat.JSON, AccessLogOutput.file(file, 1L << 30, 1), 10_000, 1);
        EventLoopGroup loops = new DefaultEventLoopGroup(1);
        EventLoop loop = loops.next();
        String agent = "\"agent\\" + "a".repeat(200_000);
        loop.submit(() -> {
            accessLog.log(record(200, "/before"), loop);
            accessLog.log(new AccessRecord(System.currentTimeMillis(), "s", "b", "", "", "127.0.0.1", "GET", "h", "/huge", "HTTP/1.1", 200,
                    "", "", "", 0, 0, 1_000, 0, agent, "", 0, 1_000), loop);
            accessLog.log(record(200, "/after"), loop);
        }).sync();
        await().atMost(Duration.ofSeconds(5)).until(() -> accessLog.written() == 3);
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        accessLog.close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(json.readTree(lines.get(1)).get("userAgent").asText()).isEqualTo(agent);
        assertThat(json.readTree(lines.get(2)).get("path").asText()).isEqualTo("/after");
    }

    @Test
    void closingHandsOverTheLinesALoopStillHeld(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        AccessLog accessLog = AccessLog.start("n", AccessLogFormat.JSON, AccessLogOutput.file(file, 1L << 30, 1), 10_000, 1);
        EventLoopGroup loops = new DefaultEventLoopGroup(1);
        EventLoop loop = loops.next();
        loop.submit(() -> {
            for (int i = 0; i < 10; i++) {
                accessLog.log(record(200, "/last/" + i), loop);
            }
        }).sync();
        // The loop stops before its chunk's hand-over was due, as a node's loops do at shutdown.
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        accessLog.close();
        assertThat(Files.readAllLines(file)).hasSize(10);
        assertThat(accessLog.written()).isEqualTo(10);
    }

    @Test
    void aWriteOfManyLinesIsRotatedBetweenTwoLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        AccessLogOutput output = AccessLogOutput.file(file, 1_000, 3);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            lines.append("line ").append(i).append(' ').append("x".repeat(90)).append('\n');
        }
        byte[] bytes = lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        output.write(bytes, bytes.length);
        output.write(bytes, bytes.length);
        output.close();
        List<String> all = new ArrayList<>();
        for (String name : List.of("access.log.3", "access.log.2", "access.log.1", "access.log")) {
            Path part = dir.resolve(name);
            assertThat(Files.size(part)).as(name).isLessThanOrEqualTo(1_000);
            List<String> partLines = Files.readAllLines(part);
            assertThat(partLines).as(name).allMatch(line -> line.matches("line \\d+ x{90}"));
            all.addAll(partLines);
        }
        assertThat(all.get(all.size() - 1)).startsWith("line 29 ");
    }

    @Test
    void theFileIsRotatedBySizeKeepingAsManyOldOnesAsAsked(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        AccessLogOutput output = AccessLogOutput.file(file, 1_000, 2);
        for (int i = 0; i < 100; i++) {
            output.write("line " + i + " " + "x".repeat(40));
        }
        output.close();
        assertThat(dir.resolve("access.log")).exists();
        assertThat(dir.resolve("access.log.1")).exists();
        assertThat(dir.resolve("access.log.2")).exists();
        assertThat(dir.resolve("access.log.3")).doesNotExist();
        assertThat(Files.size(file)).isLessThanOrEqualTo(1_000);
        assertThat(Files.readAllLines(file).get(Files.readAllLines(file).size() - 1)).startsWith("line 99 ");
    }

    @Test
    void combinedIsNginxsFormat() {
        String line = AccessLogFormat.COMBINED.line("n", new AccessRecord(0, "s", "b", "", "", "10.0.0.1", "GET", "h", "/a", "HTTP/1.1",
                404, "", "", "", 0, 0, 0, 0, "curl/8 \"x\"", "", 27, 0));
        assertThat(line).isEqualTo("10.0.0.1 - - [01/Jan/1970:00:00:00 +0000] \"GET /a HTTP/1.1\" 404 27 \"-\" \"curl/8 \\x22x\\x22\"");
    }

    private static AccessRecord record(int status, String path) {
        return new AccessRecord(System.currentTimeMillis(), "s", "b", "", "", "127.0.0.1", "GET", "h", path, "HTTP/1.1", status,
                "", "", "", 0, 0, 1_000, 0, "", "", 0, 1_000);
    }

    /** The last access-log line of the request with {@code requestId}, or null when there is none. */
    private JsonNode lineOf(String requestId) throws java.io.IOException {
        JsonNode line = null;
        for (String text : Files.readAllLines(node.accessLogFile())) {
            JsonNode parsed = json.readTree(text);
            if (parsed.get("requestId").asText().equals(requestId)) {
                line = parsed;
            }
        }
        return line;
    }
}
