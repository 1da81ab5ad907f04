package io.edgegate.dataplane.filter.timelimiter;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Time limits on the upstream's answer: 504 at the limit, and the upstream connection closed. */
class TimeLimitTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static long millisOf(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aSlowServerGets504AtThePoolTimeoutAndItsConnectionIsClosed() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend slow = EchoBackend.start("slow")) {
            node.apply(server("s", port, "pool-timeout"), example("filters/pool-timeout.yaml", slow.url()));
            HttpResponse<String>[] answer = new HttpResponse[1];

            long took = millisOf(() -> answer[0] = node.get(port, "/work?delay=5000"));

            assertThat(answer[0].statusCode()).isEqualTo(504);
            assertThat(answer[0].body()).contains("upstream did not answer in time");
            // At the limit, not at once; the 504 itself shows it did not wait for the 5 s answer.
            assertThat(took).isGreaterThanOrEqualTo(450L);
            await().atMost(Duration.ofSeconds(2)).until(() -> slow.openConnections() == 0);
            assertThat(node.get(port, "/work?delay=100").statusCode()).isEqualTo(200);
        }
    }

    /** Easegress v2 names a timed-out call's result timeout; v1 (HTTPPipeline) said serverError. */
    @Test
    void aTimedOutCallsResultIsTimeoutInAV2PipelineAndServerErrorInAV1One() throws Exception {
        int port = FreePorts.pick();
        int v1Port = FreePorts.pick();
        try (EchoBackend slow = EchoBackend.start("slow")) {
            node.apply(server("s", port, "v2"), server("s1", v1Port, "v1"), """
                    kind: Pipeline
                    name: v2
                    flow:
                    - filter: proxy
                      jumpIf: {timeout: late}
                    - filter: END
                    - filter: late
                    filters:
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers: [{url: %s}]
                        timeout: 300ms
                    - name: late
                      kind: Mock
                      rules: [{code: 202, body: too late}]
                    """.formatted(slow.url()), """
                    kind: HTTPPipeline
                    name: v1
                    flow:
                    - filter: proxy
                      jumpIf: {serverError: late}
                    - filter: END
                    - filter: late
                    filters:
                    - name: proxy
                      kind: Proxy
                      mainPool:
                        servers: [{url: %s}]
                        timeout: 300ms
                    - name: late
                      kind: Mock
                      rules: [{code: 202, body: too late}]
                    """.formatted(slow.url()));

            for (int p : new int[] {port, v1Port}) {
                HttpResponse<String> answer = node.get(p, "/work?delay=3000");
                assertThat(answer.statusCode()).isEqualTo(202);
                assertThat(answer.body()).isEqualTo("too late");
            }
        }
    }

    @Test
    void aTimeLimiterSetsTheLimitPerUrl() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "time-limited"), example("filters/time-limiter.yaml", app.url()));

            HttpResponse<String>[] answer = new HttpResponse[1];
            long took = millisOf(() -> answer[0] = node.get(port, "/api?delay=1500"));
            // Easegress's TimeLimiter answers the request it cut off itself: 408, marked.
            assertThat(answer[0].statusCode()).isEqualTo(408);
            assertThat(answer[0].headers().firstValue("X-EG-Time-Limiter")).hasValue("timed-out");
            assertThat(took).isGreaterThanOrEqualTo(450L);
            // /reports may take 3s.
            assertThat(node.get(port, "/reports/daily?delay=1000").statusCode()).isEqualTo(200);
            assertThat(node.get(port, "/api?delay=10").statusCode()).isEqualTo(200);
            // As Easegress, a request no rule selects has no limit: not even defaultTimeoutDuration.
            assertThat(node.get(port, "/other?delay=1000").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClientThatGoesAwayCancelsTheUpstreamRequest() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend slow = EchoBackend.start("slow")) {
            node.apply(server("s", port, "p"), LocalNode.proxyPipeline("p", "roundRobin", slow.url()));
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress("127.0.0.1", port));
                OutputStream out = client.getOutputStream();
                out.write("GET /?delay=10000 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                await().atMost(Duration.ofSeconds(2)).until(() -> slow.requestCount() == 1);
                assertThat(slow.openConnections()).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> slow.openConnections() == 0);
        }
    }
}
