package io.edgegate.dataplane.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node whose access log is in NGINX's {@code combined} format: the line of each request, Referer and User-Agent included. */
class CombinedAccessLogTest {

    @RegisterExtension
    static final LocalNode node = LocalNode.withAccessLog(AccessLogFormat.COMBINED);

    @Test
    void eachRequestIsALineWithItsRefererAndUserAgentOrADashForWhatItLacked() throws Exception {
        try (EchoBackend app = EchoBackend.start("app")) {
            int port = FreePorts.pick();
            node.apply(LocalNode.server("combined", port, "combined-proxy"), LocalNode.proxyPipeline("combined-proxy", "roundRobin", app.url()));
            long before = node.accessLog().written();
            var referred = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders?page=2"))
                    .header("Referer", "http://shop.example/cart").header("User-Agent", "shopper/2.0").build());
            var plain = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/plain")).build());
            // A client that tries to end the quoted field early and start one of its own.
            var hostile = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hostile"))
                    .header("Referer", "http://evil.example/\" 999 \"x\\").header("User-Agent", "a\"b").build());
            assertThat(referred.statusCode()).isEqualTo(200);
            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(hostile.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.accessLog().written() >= before + 3);

            List<String> lines = Files.readAllLines(node.accessLogFile());
            int referredBytes = referred.body().getBytes(StandardCharsets.UTF_8).length;
            assertThat(lines).anySatisfy(line -> assertThat(line).matches(
                    "127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000] \"GET /orders HTTP/1\\.1\" 200 "
                            + referredBytes + " \"http://shop\\.example/cart\" \"shopper/2\\.0\""));
            assertThat(lines).anySatisfy(line -> assertThat(line).matches(
                    "127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /plain HTTP/1\\.1\" 200 \\d+ \"-\" \"[^\"]+\""));
            // Its quotes and backslashes escaped as NGINX escapes them: the line still has exactly the fields of the format.
            assertThat(lines).anySatisfy(line -> assertThat(line).endsWith(
                    "\"GET /hostile HTTP/1.1\" 200 " + hostile.body().getBytes(StandardCharsets.UTF_8).length
                            + " \"http://evil.example/\\x22 999 \\x22x\\x5C\" \"a\\x22b\""));

            // The request line too: a quote or a terminal escape in the path stays inside its field, escaped.
            try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
                raw.getOutputStream().write("GET /q\"u\u001b[2J HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                raw.getInputStream().readAllBytes();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(node.accessLogFile()).stream()
                    .anyMatch(line -> line.contains("\"GET /q\\x22u\\x1B[2J HTTP/1.1\" ")));
        }
    }
}
