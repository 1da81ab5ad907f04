package io.edgegate.dataplane.filter.fallback;

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

/** The Fallback example: a failing service's answer is replaced; a working one passes untouched. */
class FallbackTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void aFailureBecomesTheMockAnswerAndSuccessIsLeftAlone() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "fallback-demo"), example("filters/fallback.yaml", app.url()));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/items")).build();

            HttpResponse<String> fine = node.send(request);
            app.answerWith(HttpResponseStatus.SERVICE_UNAVAILABLE);
            HttpResponse<String> failed = node.send(request);
            app.stop();
            HttpResponse<String> unreachable = node.send(request);

            assertThat(fine.statusCode()).isEqualTo(200);
            assertThat(fine.headers().firstValue("X-Fallback")).isEmpty();
            assertThat(fine.body()).startsWith("app\nGET /items");
            for (HttpResponse<String> response : java.util.List.of(failed, unreachable)) {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("X-Fallback")).hasValue("Okay");
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(response.body()).isEqualTo("{\"message\": \"The feature turned off, please try it later.\"}");
            }
            // The failing answer's own headers stay, as Easegress changes the response in place.
            assertThat(failed.headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("app");
        }
    }

    @Test
    void aV1ProxysOwnFallbackAnswersItsFailureCodes() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "proxy-fallback-v1"), example("filters/proxy-fallback-v1.yaml", app.url()));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/items")).build();

            HttpResponse<String> fine = node.send(request);
            app.answerWith(HttpResponseStatus.SERVICE_UNAVAILABLE);
            HttpResponse<String> failed = node.send(request);
            app.answerWith(HttpResponseStatus.BAD_GATEWAY);
            HttpResponse<String> otherFailure = node.send(request);

            assertThat(fine.statusCode()).isEqualTo(200);
            assertThat(fine.body()).startsWith("app\nGET /items");
            assertThat(failed.statusCode()).isEqualTo(200);
            assertThat(failed.body()).isEqualTo("{\"message\": \"The service is busy, please try later.\"}");
            assertThat(failed.headers().firstValue("Content-Type")).hasValue("application/json");
            // 502 is not one of the failure codes: it reaches the client as it is.
            assertThat(otherFailure.statusCode()).isEqualTo(502);
        }
    }
}
