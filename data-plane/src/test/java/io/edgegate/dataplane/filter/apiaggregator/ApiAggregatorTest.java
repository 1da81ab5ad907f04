package io.edgegate.dataplane.filter.apiaggregator;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** APIAggregator calls pipelines of the same config and merges or lists their JSON answers. */
class ApiAggregatorTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static HttpResponse<String> post(int port) {
        return node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/users/7"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"q\": 1}")).build());
    }

    @Test
    void theAnswersAreMergedAndEachPipelineGetsItsCopyOfTheRequest() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend users = EchoBackend.start("users"); EchoBackend orders = EchoBackend.start("orders")) {
            users.answerJson("{\"user\": \"ada\", \"count\": 2}");
            orders.answerJson("{\"orders\": [1, 2], \"count\": 3}");
            node.apply(server("s", port, "api-aggregator"), example("filters/api-aggregator.yaml", users.url(), orders.url()));

            HttpResponse<String> merged = post(port);

            assertThat(merged.statusCode()).isEqualTo(200);
            assertThat(merged.body()).isEqualTo("{\"count\":3,\"orders\":[1,2],\"user\":\"ada\"}");
            assertThat(users.received().get(0).method()).isEqualTo("POST");
            assertThat(users.received().get(0).uri()).isEqualTo("/users/7");
            assertThat(users.received().get(0).body()).isEqualTo("{\"q\": 1}");
            assertThat(orders.received().get(0).method()).isEqualTo("GET");
            assertThat(orders.received().get(0).uri()).isEqualTo("/orders/recent");
            assertThat(orders.received().get(0).body()).isEmpty();
        }
    }

    @Test
    void aFailingPipelineFailsTheRequestUnlessPartialSucceedAndAnswersCanBeListed() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend users = EchoBackend.start("users"); EchoBackend orders = EchoBackend.start("orders")) {
            users.answerJson("{\"user\": \"ada\"}");
            orders.answerWith(HttpResponseStatus.INTERNAL_SERVER_ERROR);
            String example = example("filters/api-aggregator.yaml", users.url(), orders.url());
            node.apply(server("s", port, "api-aggregator"), example);
            HttpResponse<String> failed = post(port);
            node.apply(server("s", port, "api-aggregator"),
                    example.replace("    mergeResponse: true\n", "    partialSucceed: true\n"));
            HttpResponse<String> partial = post(port);

            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(failed.headers().firstValue("X-EG-Aggregator")).hasValue("failed-in-orders-api");
            assertThat(partial.statusCode()).isEqualTo(200);
            assertThat(partial.body()).isEqualTo("[{\"user\":\"ada\"}]");
        }
    }

    @Test
    void aPipelineSlowerThanTheTimeoutFailsTheRequestInTime() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend users = EchoBackend.start("users"); EchoBackend orders = EchoBackend.start("orders")) {
            orders.answerJson("{\"orders\": []}");
            node.apply(server("s", port, "api-aggregator"), example("filters/api-aggregator.yaml", users.url(), orders.url())
                    .replace("timeout: 5s", "timeout: 300ms"));

            long start = System.nanoTime();
            HttpResponse<String> slow = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/users/7?delay=3000")).build());

            assertThat(slow.statusCode()).isEqualTo(503);
            assertThat(slow.headers().firstValue("X-EG-Aggregator")).hasValue("failed-in-users-api");
            assertThat(System.nanoTime() - start).isLessThan(2_500_000_000L);
        }
    }

    @Test
    void aPipelineThatAggregatesItselfStops() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "loop"), """
                name: loop
                kind: HTTPPipeline
                filters:
                - name: again
                  kind: APIAggregator
                  pipelines:
                  - name: loop
                """);

        HttpResponse<String> response = post(port);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("X-EG-Aggregator")).hasValue("failed-in-loop");
    }
}
