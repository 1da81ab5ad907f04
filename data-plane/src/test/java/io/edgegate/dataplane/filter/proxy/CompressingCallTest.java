package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.filter.proxy.ProxyParts.answer;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.mainPool;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.proxy;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The answer-shaping parts of a Proxy: compression and the upstream header apply to the upstream's answers only. */
class CompressingCallTest {

    private static final String LONG_TEXT = "the quick brown fox jumps over the lazy dog ".repeat(50);

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ProxySpec spec;
    private final ServerPool pool;

    CompressingCallTest() throws Exception {
        spec = proxy("""
                kind: HTTPPipeline
                name: p
                filters:
                  - name: proxy
                    kind: Proxy
                    mainPool:
                      servers: [{url: 'http://10.0.0.1:80'}]
                    compression:
                      minLength: 1024
                    upstreamHeader: X-Upstream
                """);
        pool = mainPool(spec);
    }

    private final ProxyCall upstreamAnswers = exchange -> {
        exchange.sendTo(exchange.pool().pick(exchange.context()));
        UpstreamResponse answer = answer(200, LONG_TEXT);
        answer.head().headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        exchange.answeredByUpstream(new Response(answer.head(), answer.body()));
        return CompletableFuture.completedFuture("");
    };

    private final ProxyCall proxyAnswers = exchange -> {
        exchange.context().respond(HttpResponseStatus.BAD_GATEWAY, "upstream unavailable");
        return CompletableFuture.completedFuture(ProxySpec.RESULT_SERVER_ERROR);
    };

    private Response call(ProxyCall call) {
        RequestContext context = request(channel, HttpMethod.GET, "/", BodyStream.EMPTY);
        context.request().headers().set(HttpHeaderNames.ACCEPT_ENCODING, "gzip");
        call.call(new ProxyExchange(context, pool)).toCompletableFuture().join();
        return context.takeResponse();
    }

    @Test
    void theUpstreamsAnswerIsCompressedForAClientThatAcceptsGzip() {
        Response response = call(new CompressingCall(new ResponseCompression(spec.compression().orElseThrow()), upstreamAnswers));

        assertThat(response.head().headers().get(HttpHeaderNames.CONTENT_ENCODING)).isEqualTo("gzip");
        response.body().discard();
    }

    @Test
    void theProxysOwnAnswerIsLeftAlone() {
        Response response = call(new CompressingCall(new ResponseCompression(spec.compression().orElseThrow()), proxyAnswers));

        assertThat(response.head().status().code()).isEqualTo(502);
        assertThat(response.head().headers().contains(HttpHeaderNames.CONTENT_ENCODING)).isFalse();
        response.body().discard();
    }

    @Test
    void theUpstreamHeaderNamesTheServerOnlyOnItsOwnAnswer() {
        Response upstream = call(new UpstreamHeaderCall("X-Upstream", upstreamAnswers));
        Response own = call(new UpstreamHeaderCall("X-Upstream", proxyAnswers));

        assertThat(upstream.head().headers().get("X-Upstream")).isEqualTo("http://10.0.0.1:80");
        assertThat(own.head().headers().contains("X-Upstream")).isFalse();
        upstream.body().discard();
        own.body().discard();
    }
}
