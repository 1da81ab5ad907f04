package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.filter.proxy.ProxyParts.answer;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.mainPool;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.proxy;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.BodyTooLargeException;
import io.edgegate.dataplane.http.MalformedBodyException;
import io.edgegate.dataplane.pipeline.FilterResults;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.upstream.UpstreamException;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import java.net.ConnectException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The core of a Proxy: what the client gets, and which result, for each way the upstream call can end. */
class ForwardingCallTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final FilterResults results = new FilterResults(ProxySpec.SPEC_KIND.results());
    private final ServerPool pool;

    ForwardingCallTest() throws Exception {
        pool = mainPool(proxy("""
                kind: Pipeline
                name: p
                flow:
                  - filter: proxy
                filters:
                  - name: proxy
                    kind: Proxy
                    pools:
                      - servers: [{url: 'http://10.0.0.1:80'}]
                        failureCodes: [503]
                """));
    }

    /** Runs a ForwardingCall whose upstream call ends with {@code outcome}; returns "result status" and the context. */
    private String forward(CompletableFuture<UpstreamResponse> outcome, Consumer<RequestContext> inspect) {
        RequestContext context = request(channel, HttpMethod.GET, "/orders", BodyStream.EMPTY);
        ProxyCall forwarding = new ForwardingCall("proxy", (exchange, server, body) -> outcome, results);
        String result = forwarding.call(new ProxyExchange(context, pool)).toCompletableFuture().join();
        inspect.accept(context);
        String status = String.valueOf(context.response().head().status().code());
        context.takeResponse().body().discard();
        return result + " " + status;
    }

    private String forward(CompletableFuture<UpstreamResponse> outcome) {
        return forward(outcome, c -> { });
    }

    @Test
    void theUpstreamsAnswerBecomesTheRequestsWithoutHopByHopHeaders() {
        UpstreamResponse upstream = answer(200, "ok");
        upstream.head().headers().set("Connection", "keep-alive, X-Private").set("X-Private", "1").set("Keep-Alive", "timeout=5");

        String outcome = forward(CompletableFuture.completedFuture(upstream), context -> {
            assertThat(context.response().head().headers().contains("X-Private")).isFalse();
            assertThat(context.response().head().headers().contains("Keep-Alive")).isFalse();
        });

        assertThat(outcome).isEqualTo(" 200");
    }

    @Test
    void aFailureCodeIsTheResultFailureCode() {
        assertThat(forward(CompletableFuture.completedFuture(answer(503, "busy")))).isEqualTo(ProxySpec.RESULT_FAILURE_CODE + " 503");
    }

    @Test
    void aRedirectToTheUpstreamItselfIsRewrittenToTheAddressTheClientUsed() {
        UpstreamResponse redirect = answer(302, "");
        redirect.head().headers().set("Location", "http://10.0.0.1:80/login?next=/orders");

        forward(CompletableFuture.completedFuture(redirect), context ->
                assertThat(context.response().head().headers().get("Location")).isEqualTo("http://shop.example/login?next=/orders"));
    }

    @Test
    void eachWayTheCallCanFailHasItsStatusAndResult() {
        assertThat(forward(CompletableFuture.failedFuture(new ResponseTimeout()), context ->
                assertThat(context.get(RequestKeys.UPSTREAM_FAILED)).isTrue()))
                .isEqualTo(ProxySpec.RESULT_TIMEOUT + " 504");
        // A server silent with no deadline set: 504 too, but a server error, which fallbacks on serverError catch.
        assertThat(forward(CompletableFuture.failedFuture(new io.edgegate.dataplane.upstream.UpstreamTimeoutException("silent")),
                context -> assertThat(context.get(RequestKeys.UPSTREAM_FAILED)).isTrue()))
                .isEqualTo(ProxySpec.RESULT_SERVER_ERROR + " 504");
        assertThat(forward(CompletableFuture.failedFuture(new UpstreamException("refused", new ConnectException(), true)), context ->
                assertThat(context.get(RequestKeys.UPSTREAM_FAILED)).isTrue()))
                .isEqualTo(ProxySpec.RESULT_SERVER_ERROR + " 502");
        assertThat(forward(CompletableFuture.failedFuture(new BodyTooLargeException(16)), context ->
                assertThat(context.get(RequestKeys.UPSTREAM_FAILED)).as("the client's fault").isFalse()))
                .isEqualTo(ProxySpec.RESULT_CLIENT_ERROR + " 413");
        assertThat(forward(CompletableFuture.failedFuture(new MalformedBodyException(null))))
                .isEqualTo(ProxySpec.RESULT_CLIENT_ERROR + " 400");
        assertThat(forward(CompletableFuture.failedFuture(new RetryingCall.RequestBodyIncomplete(null))))
                .isEqualTo(ProxySpec.RESULT_CLIENT_ERROR + " 400");
        assertThat(forward(CompletableFuture.failedFuture(new RetryingCall.NoServerLeft())))
                .isEqualTo(ProxySpec.RESULT_INTERNAL_ERROR + " 503");
    }
}
