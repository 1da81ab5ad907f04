package io.edgegate.dataplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.runtime.ConfigRejectedException;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What /metrics says about the traffic a node served: counts that match what clients saw, labels from config only. */
class NodeMetricsTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static final Pattern LINE = Pattern.compile("^(\\w+)\\{([^}]*)}\\s+(\\S+)$", Pattern.MULTILINE);

    @Test
    void requestsAreCountedByServerBackendAndCodeAndADeletedPipelineLeavesNoSeries() throws Exception {
        List<EchoBackend> backends = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                backends.add(EchoBackend.start("backend-" + i));
            }
            int port = FreePorts.pick();
            node.apply(LocalNode.server("metered", port, "metered-proxy"),
                    LocalNode.proxyPipeline("metered-proxy", "roundRobin", backends.get(0).url(), backends.get(1).url(),
                            backends.get(2).url()));
            for (int i = 0; i < 100; i++) {
                assertThat(node.get(port, "/item?id=" + i).statusCode()).isEqualTo(200);
            }
            node.get(port, "/a/path/of/its/own");

            String metrics = node.scrape();
            assertThat(value(metrics, "edgegate_http_requests_total",
                    Map.of("server", "metered", "backend", "metered-proxy", "code", "200"))).hasValue(101.0);
            assertThat(value(metrics, "edgegate_http_request_duration_seconds_count",
                    Map.of("server", "metered", "backend", "metered-proxy"))).hasValue(101.0);
            assertThat(metrics).as("explicit buckets").contains("le=\"0.005\"");
            double upstreams = 0;
            for (EchoBackend backend : backends) {
                double served = value(metrics, "edgegate_upstream_requests_total",
                        Map.of("pipeline", "metered-proxy", "proxy", "proxy", "upstream", backend.url(), "code", "200")).orElse(0);
                assertThat(served).as("round robin over " + backend.url()).isBetween(33.0, 34.0);
                upstreams += served;
            }
            assertThat(upstreams).isEqualTo(101.0);
            assertThat(metrics).as("never a path or a query").doesNotContain("/item").doesNotContain("/a/path");
            assertThat(value(metrics, "edgegate_node_config_applies_total", Map.of("result", "applied")).orElse(0)).isPositive();
            assertThat(value(metrics, "edgegate_node_config_apply_duration_seconds_count", Map.of("result", "applied")))
                    .isEqualTo(value(metrics, "edgegate_node_config_applies_total", Map.of("result", "applied")));
            assertThat(metrics).as("explicit apply buckets").contains("edgegate_node_config_apply_duration_seconds_bucket")
                    .contains("le=\"0.05\"");
            assertThat(metrics).contains("jvm_memory_used_bytes").contains("netty_allocator_memory_used");

            node.apply(LocalNode.server("metered", port, "another"), LocalNode.proxyPipeline("another", "roundRobin",
                    backends.get(0).url()));
            String after = node.scrape();
            assertThat(after).as("the deleted pipeline's series are gone").doesNotContain("backend=\"metered-proxy\"");
        } finally {
            backends.forEach(EchoBackend::close);
        }
    }

    /** A request still in flight when its pipeline is deleted does not bring the pipeline's series back when it ends. */
    @Test
    void aRequestEndingAfterItsPipelineWasDeletedLeavesNoSeries() throws Exception {
        try (EchoBackend slow = EchoBackend.start("slow")) {
            int port = FreePorts.pick();
            node.apply(LocalNode.server("metered-slow", port, "doomed"), LocalNode.proxyPipeline("doomed", "roundRobin", slow.url()));
            var inFlight = java.util.concurrent.CompletableFuture.supplyAsync(() -> node.get(port, "/long?delay=1500"));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> slow.requestCount() > 0);

            node.apply(LocalNode.server("metered-slow", port, "kept"), LocalNode.proxyPipeline("kept", "roundRobin", slow.url()));
            assertThat(inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);

            assertThat(node.scrape()).as("the deleted pipeline stays gone").doesNotContain("backend=\"doomed\"");
        }
    }

    /** A changed Proxy is a new filter; its server's counts go on from where the old one's stopped. */
    @Test
    void anUpstreamServersCountsGoOnAcrossAChangeOfItsProxy() throws Exception {
        try (EchoBackend backend = EchoBackend.start("kept")) {
            int port = FreePorts.pick();
            Map<String, String> upstream = Map.of("pipeline", "changing-proxy", "proxy", "proxy", "upstream", backend.url(), "code", "200");
            node.apply(LocalNode.server("changing", port, "changing-proxy"), LocalNode.proxyPipeline("changing-proxy", "roundRobin",
                    backend.url()));
            for (int i = 0; i < 5; i++) {
                assertThat(node.get(port, "/").statusCode()).isEqualTo(200);
            }
            assertThat(value(node.scrape(), "edgegate_upstream_requests_total", upstream)).hasValue(5.0);

            node.apply(LocalNode.server("changing", port, "changing-proxy"), LocalNode.proxyPipeline("changing-proxy", "random",
                    backend.url()));
            for (int i = 0; i < 3; i++) {
                assertThat(node.get(port, "/").statusCode()).isEqualTo(200);
            }
            String metrics = node.scrape();
            assertThat(value(metrics, "edgegate_upstream_requests_total", upstream)).hasValue(8.0);
            assertThat(value(metrics, "edgegate_upstream_request_duration_seconds_count", Map.of("pipeline", "changing-proxy",
                    "proxy", "proxy", "upstream", backend.url()))).hasValue(8.0);
        }
    }

    /** A Proxy renamed in a pipeline that stays is a Proxy gone: its series go with its last filter. */
    @Test
    void aRemovedProxysSeriesGoWhileItsPipelineStays() throws Exception {
        try (EchoBackend backend = EchoBackend.start("renamed")) {
            int port = FreePorts.pick();
            String pipeline = LocalNode.proxyPipeline("renaming-proxy", "roundRobin", backend.url());
            node.apply(LocalNode.server("renaming", port, "renaming-proxy"), pipeline);
            assertThat(node.get(port, "/").statusCode()).isEqualTo(200);
            assertThat(node.scrape()).contains("proxy=\"proxy\"");

            node.apply(LocalNode.server("renaming", port, "renaming-proxy"),
                    pipeline.replace("- filter: proxy", "- filter: forward").replace("- name: proxy", "- name: forward"));
            assertThat(node.get(port, "/").statusCode()).isEqualTo(200);
            String metrics = node.scrape();
            assertThat(value(metrics, "edgegate_upstream_requests_total",
                    Map.of("pipeline", "renaming-proxy", "proxy", "forward", "upstream", backend.url(), "code", "200"))).hasValue(1.0);
            assertThat(metrics).doesNotContain("proxy=\"proxy\",upstream=\"" + backend.url())
                    .doesNotContain("pipeline=\"renaming-proxy\",proxy=\"proxy\"");
        }
    }

    /** A server of a rejected apply never went live: it leaves no series behind. */
    @Test
    void aServerOfARejectedApplyLeavesNoSeries() throws Exception {
        try (EchoBackend backend = EchoBackend.start("live")) {
            int port = FreePorts.pick();
            String pipeline = LocalNode.proxyPipeline("live-proxy", "roundRobin", backend.url());
            node.apply(LocalNode.server("live-server", port, "live-proxy"), pipeline);
            assertThat(node.get(port, "/").statusCode()).isEqualTo(200);

            assertThatThrownBy(() -> node.apply(LocalNode.server("live-server", port, "live-proxy"),
                    LocalNode.server("never-live", port, "live-proxy"), pipeline))
                    .isInstanceOf(ConfigRejectedException.class).hasMessageContaining("both listen on");
            assertThat(node.get(port, "/").statusCode()).isEqualTo(200);
            String metrics = node.scrape();
            assertThat(metrics).contains("server=\"live-server\"").doesNotContain("server=\"never-live\"");
        }
    }

    @Test
    void aRateLimitersRefusalsAreCountedAsTheClientSawThem() throws Exception {
        try (EchoBackend app = EchoBackend.start("app")) {
            int port = FreePorts.pick();
            node.apply(LocalNode.server("limited", port, "rate-limited-api"), LocalNode.example("filters/rate-limiter.yaml", app.url()));
            int refused = 0;
            for (int i = 0; i < 40; i++) {
                HttpResponse<String> response = node.get(port, "/api/orders");
                if (response.statusCode() == 429) {
                    refused++;
                }
            }
            assertThat(refused).as("the limiter refused some").isPositive();
            String metrics = node.scrape();
            assertThat(value(metrics, "edgegate_filter_results_total",
                    Map.of("pipeline", "rate-limited-api", "filter", "limiter", "result", "rateLimited"))).hasValue((double) refused);
            assertThat(value(metrics, "edgegate_http_requests_total",
                    Map.of("server", "limited", "backend", "rate-limited-api", "code", "429"))).hasValue((double) refused);
        }
    }

    @Test
    void anUpstreamThatRefusesConnectionsIsCountedAsAConnectError() throws Exception {
        int port = FreePorts.pick();
        String closed = "http://127.0.0.1:" + FreePorts.pick();
        node.apply(LocalNode.server("failing", port, "failing-proxy"), LocalNode.proxyPipeline("failing-proxy", "roundRobin", closed));
        assertThat(node.get(port, "/").statusCode()).isEqualTo(502);
        String metrics = node.scrape();
        assertThat(value(metrics, "edgegate_upstream_errors_total",
                Map.of("pipeline", "failing-proxy", "upstream", closed, "kind", "connect"))).hasValue(1.0);
        assertThat(value(metrics, "edgegate_filter_results_total",
                Map.of("pipeline", "failing-proxy", "filter", "proxy", "result", "serverError"))).hasValue(1.0);
    }

    @Test
    void aRequestRefusedOnItsHeadIsCountedAndLogged() throws Exception {
        int port = FreePorts.pick();
        node.apply(LocalNode.server("strict", port, "nowhere"));
        long logged = node.accessLog().written();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: a b\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream())).readLine();
            assertThat(status).startsWith("HTTP/1.1 400");
        }
        assertThat(value(node.scrape(), "edgegate_http_requests_total", Map.of("server", "strict", "backend", "none", "code", "400")))
                .hasValue(1.0);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> node.accessLog().written() > logged);
    }

    @Test
    void aRequestNoRouteMatchesIsCountedWithoutABackend() throws Exception {
        int port = FreePorts.pick();
        node.apply(LocalNode.server("routed", port, "nowhere"));
        assertThat(node.get(port, "/").statusCode()).isEqualTo(503);
        String metrics = node.scrape();
        assertThat(value(metrics, "edgegate_http_requests_total", Map.of("server", "routed", "code", "503"))).hasValue(1.0);
    }

    @Test
    void openConnectionsActiveRequestsAndTheConnectionLimitAreGauged() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int port = FreePorts.pick();
            node.apply("""
                    kind: HTTPServer
                    name: gauged
                    port: %d
                    maxConnections: 2
                    rules:
                    - paths:
                      - pathPrefix: /
                        backend: silent-proxy
                    """.formatted(port), LocalNode.proxyPipeline("silent-proxy", "roundRobin", "http://127.0.0.1:" + silent.getLocalPort()));
            Map<String, String> server = Map.of("server", "gauged");
            try (java.net.Socket first = new java.net.Socket("127.0.0.1", port); java.net.Socket second = new java.net.Socket("127.0.0.1", port)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> value(node.scrape(), "edgegate_http_connections_active", server)
                        .orElse(-1) == 2);
                // A request the upstream never answers stays active.
                first.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                await().atMost(Duration.ofSeconds(5)).until(() -> value(node.scrape(), "edgegate_http_requests_active", server)
                        .orElse(-1) == 1);
                // Over the limit: the listener stops accepting, the third connection waits, and none is refused.
                java.net.Socket third = new java.net.Socket("127.0.0.1", port);
                await().atMost(Duration.ofSeconds(5)).until(() -> value(node.scrape(), "edgegate_http_connection_limit_reached_total",
                        server).orElse(-1) == 1);
                assertThat(value(node.scrape(), "edgegate_http_connections_active", server)).hasValue(2.0);
                first.close();
                second.close();
                // The client left: its request is no longer active, and the waiting connection is in.
                await().atMost(Duration.ofSeconds(5)).until(() -> value(node.scrape(), "edgegate_http_requests_active", server).orElse(-1) == 0
                        && value(node.scrape(), "edgegate_http_connections_active", server).orElse(-1) == 1);
                third.close();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> value(node.scrape(), "edgegate_http_connections_active", server).orElse(-1) == 0);
            assertThat(node.scrape()).doesNotContain("reason=\"max_connections\"");
        }
    }

    @Test
    void eachUpstreamsPlaceInTheRotationAndEachCircuitsStateAreGaugedAndGoWithTheirProxy() throws Exception {
        try (EchoBackend up = EchoBackend.start("up")) {
            String down = "http://127.0.0.1:" + FreePorts.pick();
            int port = FreePorts.pick();
            node.apply(LocalNode.server("checked", port, "checked-pool"), """
                    kind: Pipeline
                    name: checked-pool
                    resilience:
                    - name: breaker
                      kind: CircuitBreaker
                      slidingWindowSize: 10
                    flow:
                    - filter: proxy
                    filters:
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers:
                        - url: %s
                        - url: %s
                        circuitBreakerPolicy: breaker
                        healthCheck:
                          interval: 200ms
                          timeout: 200ms
                          fails: 1
                          passes: 1
                    """.formatted(up.url(), down));
            Map<String, String> pool = Map.of("pipeline", "checked-pool", "proxy", "proxy", "pool", "main");
            await().atMost(Duration.ofSeconds(10)).until(() -> value(node.scrape(), "edgegate_upstream_up", with(pool, "upstream", down))
                    .orElse(-1) == 0);
            String metrics = node.scrape();
            assertThat(value(metrics, "edgegate_upstream_up", with(pool, "upstream", up.url()))).hasValue(1.0);
            assertThat(value(metrics, "edgegate_upstream_ejected", with(pool, "upstream", down))).hasValue(0.0);
            assertThat(value(metrics, "edgegate_upstream_circuit_state", with(pool, "state", "CLOSED"))).hasValue(1.0);
            assertThat(value(metrics, "edgegate_upstream_circuit_state", with(pool, "state", "OPEN"))).hasValue(0.0);

            node.apply(LocalNode.server("checked", port, "other"), LocalNode.proxyPipeline("other", "roundRobin", up.url()));
            assertThat(node.scrape()).doesNotContain("pipeline=\"checked-pool\"").doesNotContain(down);
        }
    }

    @Test
    void bodyBytesInAndOutAreCountedByServerAndBackend() throws Exception {
        try (EchoBackend app = EchoBackend.start("app")) {
            int port = FreePorts.pick();
            node.apply(LocalNode.server("sized", port, "sized-pool"), LocalNode.proxyPipeline("sized-pool", "roundRobin", app.url()));
            long received = 0;
            for (int i = 0; i < 10; i++) {
                var answer = node.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/s" + i))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("12345")).build());
                assertThat(answer.statusCode()).isEqualTo(200);
                received += answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
            long expected = received;
            Map<String, String> route = Map.of("server", "sized", "backend", "sized-pool");
            await().atMost(Duration.ofSeconds(5)).until(() -> value(node.scrape(), "edgegate_http_response_bytes_total", route)
                    .orElse(-1) == expected);
            assertThat(value(node.scrape(), "edgegate_http_request_bytes_total", route)).hasValue(50.0);
        }
    }

    @Test
    void aV1CircuitBreakersCircuitsAreGaugedAsPoolsAre() throws Exception {
        int port = FreePorts.pick();
        String down = "http://127.0.0.1:" + FreePorts.pick();
        node.apply(LocalNode.server("broken", port, "circuit-breaker"), LocalNode.example("filters/circuit-breaker.yaml", down));
        Map<String, String> circuit = Map.of("pipeline", "circuit-breaker", "proxy", "breaker", "pool", "default");
        assertThat(value(node.scrape(), "edgegate_upstream_circuit_state", with(circuit, "state", "CLOSED"))).hasValue(1.0);
        for (int i = 0; i < 5; i++) {
            assertThat(node.get(port, "/orders").statusCode()).isEqualTo(502);
        }
        // Half of at least five calls failed: the circuit opened, and the gauge says so.
        assertThat(node.get(port, "/orders").statusCode()).isEqualTo(503);
        String metrics = node.scrape();
        assertThat(value(metrics, "edgegate_upstream_circuit_state", with(circuit, "state", "OPEN"))).hasValue(1.0);
        assertThat(value(metrics, "edgegate_upstream_circuit_state", with(circuit, "state", "CLOSED"))).hasValue(0.0);

        node.apply(LocalNode.server("broken", port, "other"), LocalNode.proxyPipeline("other", "roundRobin", down));
        assertThat(node.scrape()).doesNotContain("proxy=\"breaker\"");
    }

    @Test
    void everyAttemptOfARetriedRequestIsCountedAgainstItsServer() throws Exception {
        try (EchoBackend flaky = EchoBackend.start("flaky")) {
            int port = FreePorts.pick();
            node.apply(LocalNode.server("retried", port, "retried-pool"), LocalNode.retriedPipeline("retried-pool", 3, flaky.url()));
            flaky.failNext(2, io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE);
            assertThat(node.get(port, "/twice-refused").statusCode()).isEqualTo(200);
            String metrics = node.scrape();
            Map<String, String> upstream = Map.of("pipeline", "retried-pool", "proxy", "proxy", "upstream", flaky.url());
            // The client saw one 200; the server answered three times, and each answer is its own.
            assertThat(value(metrics, "edgegate_upstream_requests_total", with(upstream, "code", "503"))).hasValue(2.0);
            assertThat(value(metrics, "edgegate_upstream_requests_total", with(upstream, "code", "200"))).hasValue(1.0);
            assertThat(value(metrics, "edgegate_upstream_request_duration_seconds_count", upstream)).hasValue(3.0);
            assertThat(value(metrics, "edgegate_http_requests_total", Map.of("server", "retried", "code", "200"))).hasValue(1.0);
        }
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> out = new java.util.HashMap<>(labels);
        out.put(key, value);
        return out;
    }

    /** The value of the one series of {@code name} whose labels include {@code labels}. */
    static OptionalDouble value(String scrape, String name, Map<String, String> labels) {
        Matcher line = LINE.matcher(scrape);
        OptionalDouble found = OptionalDouble.empty();
        while (line.find()) {
            if (!line.group(1).equals(name)) {
                continue;
            }
            String labelText = line.group(2);
            if (labels.entrySet().stream().allMatch(l -> labelText.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                assertThat(found).as("one series of " + name + " with " + labels).isEmpty();
                found = OptionalDouble.of(Double.parseDouble(line.group(3)));
            }
        }
        return found;
    }
}
