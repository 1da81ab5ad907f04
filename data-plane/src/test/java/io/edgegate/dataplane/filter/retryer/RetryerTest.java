package io.edgegate.dataplane.filter.retryer;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retries through a real listener: what is safe is retried, what is not is answered as it came. */
class RetryerTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static HttpResponse<String> post(int port, String body) {
        return node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                .POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void aGetThatFailsTheFirstAttemptIsRetriedButAPostTheServerGotIsNot() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend a = EchoBackend.start("a"); EchoBackend b = EchoBackend.start("b")) {
            node.apply(server("s", port, "retried"), example("filters/retryer.yaml", a.url(), b.url()));

            a.failNext(1, HttpResponseStatus.SERVICE_UNAVAILABLE);
            b.failNext(1, HttpResponseStatus.SERVICE_UNAVAILABLE);
            HttpResponse<String> get = node.get(port, "/orders");
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(a.requestCount() + b.requestCount()).isEqualTo(3); // failed, failed, answered

            a.failNext(1, HttpResponseStatus.SERVICE_UNAVAILABLE);
            b.failNext(1, HttpResponseStatus.SERVICE_UNAVAILABLE);
            int before = a.requestCount() + b.requestCount();
            assertThat(post(port, "{\"item\": 1}").statusCode()).isEqualTo(503);
            assertThat(post(port, "").statusCode()).isEqualTo(503);
            assertThat(a.requestCount() + b.requestCount()).as("each POST reached a server once").isEqualTo(before + 2);

            // A 500 is not among the policy's failure codes: answered as it came.
            a.failNext(1, HttpResponseStatus.INTERNAL_SERVER_ERROR);
            b.failNext(1, HttpResponseStatus.INTERNAL_SERVER_ERROR);
            assertThat(node.get(port, "/orders").statusCode()).isEqualTo(500);
        }
    }

    @Test
    void aPostThatNeverReachedAServerGoesToAnother() throws Exception {
        int port = FreePorts.pick();
        String closed = "http://127.0.0.1:" + FreePorts.pick();
        try (EchoBackend b = EchoBackend.start("b")) {
            node.apply(server("s", port, "retried"), example("filters/retryer.yaml", closed, b.url()));
            for (int i = 0; i < 6; i++) {
                assertThat(post(port, i % 2 == 0 ? "" : "{\"order\": " + i + "}").statusCode()).as("POST " + i).isEqualTo(200);
            }
            assertThat(b.requestCount()).isEqualTo(6);
            // A body is held and sent whole to the server that takes the retry.
            assertThat(b.received()).extracting(EchoBackend.ReceivedRequest::body).contains("{\"order\": 1}", "{\"order\": 5}");
        }
    }

    @Test
    void anEmptyBudgetAllowsNoRetry() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend a = EchoBackend.start("a"); EchoBackend b = EchoBackend.start("b")) {
            node.apply(server("s", port, "retried"), example("filters/retryer.yaml", a.url(), b.url())
                    .replace("retryRatio: 0.2", "retryRatio: 0").replace("minRetriesPerSecond: 10", "minRetriesPerSecond: 0"));
            a.failNext(1, HttpResponseStatus.SERVICE_UNAVAILABLE);
            b.failNext(1, HttpResponseStatus.SERVICE_UNAVAILABLE);
            assertThat(node.get(port, "/").statusCode()).isEqualTo(503);
            assertThat(a.requestCount() + b.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void aPutWithABodyIsRetriedWithTheSameBody() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend a = EchoBackend.start("a"); EchoBackend b = EchoBackend.start("b")) {
            node.apply(server("s", port, "retried"), example("filters/retryer.yaml", a.url(), b.url()));
            a.failNext(1, HttpResponseStatus.SERVICE_UNAVAILABLE);
            b.failNext(1, HttpResponseStatus.SERVICE_UNAVAILABLE);
            String body = "{\"status\": \"shipped\"}".repeat(100);

            HttpResponse<String> put = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders/7"))
                    .PUT(HttpRequest.BodyPublishers.ofString(body)).build());

            assertThat(put.statusCode()).isEqualTo(200);
            List<EchoBackend.ReceivedRequest> all = new ArrayList<>(a.received());
            all.addAll(b.received());
            assertThat(all).hasSize(3).allSatisfy(r -> assertThat(r.body()).isEqualTo(body));
        }
    }

    @Test
    void withoutFailureStatusCodesNoStatusIsRetriedOnlyAnUnreachableServerAsEasegressV1() throws Exception {
        int port = FreePorts.pick();
        String closed = "http://127.0.0.1:" + FreePorts.pick();
        try (EchoBackend a = EchoBackend.start("a"); EchoBackend b = EchoBackend.start("b")) {
            String noCodes = example("filters/retryer.yaml", a.url(), b.url()).replace("        failureStatusCodes: [502, 503, 504]\n", "");
            assertThat(noCodes).doesNotContain("failureStatusCodes");
            node.apply(server("s", port, "retried"), noCodes);

            a.failNext(1, HttpResponseStatus.SERVICE_UNAVAILABLE);
            b.failNext(1, HttpResponseStatus.SERVICE_UNAVAILABLE);
            assertThat(node.get(port, "/orders").statusCode()).as("a 503 is no failure without codes").isEqualTo(503);
            assertThat(node.get(port, "/orders").statusCode()).isEqualTo(503);
            assertThat(a.requestCount() + b.requestCount()).as("one attempt each").isEqualTo(2);

            node.apply(server("s", port, "retried"), example("filters/retryer.yaml", closed, b.url())
                    .replace("        failureStatusCodes: [502, 503, 504]\n", ""));
            for (int i = 0; i < 4; i++) {
                assertThat(node.get(port, "/orders").statusCode()).as("countingNetworkError still retries: GET " + i).isEqualTo(200);
            }
        }
    }
}
