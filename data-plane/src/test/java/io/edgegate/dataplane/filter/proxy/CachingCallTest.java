package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.filter.proxy.ProxyParts.answer;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.v1MainPool;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.proxy;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The cache part of a Proxy: HIT without the upstream, MISS stored as it streams, REVALIDATED on a 304. */
class CachingCallTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ServerPool pool;
    /** What the cache had found for each request that went upstream. */
    private final List<ResponseCache.Lookup> upstreamCalls = new ArrayList<>();

    CachingCallTest() throws Exception {
        pool = v1MainPool(proxy("""
                kind: HTTPPipeline
                name: p
                filters:
                  - name: proxy
                    kind: Proxy
                    mainPool:
                      servers: [{url: 'http://10.0.0.1:80'}]
                      memoryCache:
                        codes: [200]
                        methods: [GET]
                        expiration: 30s
                        maxEntryBytes: 1024
                        maxTotalBytes: 65536
                """));
    }

    /** A stand-in for the rest of the Proxy: the upstream answers {@code status} with {@code headers} set. */
    private ProxyCall upstream(int status, String body, Consumer<io.netty.handler.codec.http.HttpHeaders> headers) {
        return exchange -> {
            upstreamCalls.add(exchange.cacheLookup());
            exchange.sendTo(exchange.pool().pick(exchange.context()));
            UpstreamResponse answer = answer(status, body);
            headers.accept(answer.head().headers());
            exchange.answeredByUpstream(new Response(answer.head(), answer.body()));
            return CompletableFuture.completedFuture("");
        };
    }

    /** Calls and reads the whole answer, as the connection would: the status, X-Cache and the body. */
    private String get(ProxyCall call, Consumer<io.netty.handler.codec.http.HttpHeaders> requestHeaders) {
        RequestContext context = request(channel, HttpMethod.GET, "/catalog", BodyStream.EMPTY);
        requestHeaders.accept(context.request().headers());
        call.call(new ProxyExchange(context, pool)).toCompletableFuture().join();
        Response response = context.takeResponse();
        ByteBuf body = BodyCollector.collect(response.body(), channel.alloc(), 1 << 20).join();
        try {
            return response.head().status().code() + " " + response.head().headers().get("X-Cache") + " "
                    + body.toString(StandardCharsets.UTF_8);
        } finally {
            body.release();
        }
    }

    private String get(ProxyCall call) {
        return get(call, h -> { });
    }

    @Test
    void aStoredAnswerIsServedWithoutTheUpstream() {
        ProxyCall cached = new CachingCall(pool.cache().orElseThrow(),
                upstream(200, "catalog v1", h -> h.set(HttpHeaderNames.CACHE_CONTROL, "max-age=60")));

        assertThat(get(cached)).isEqualTo("200 MISS catalog v1");
        assertThat(get(cached)).isEqualTo("200 HIT catalog v1");
        assertThat(upstreamCalls).hasSize(1);
    }

    @Test
    void aNotModifiedToOurValidatorsServesTheStoredBodyAgain() {
        ProxyCall stale = new CachingCall(pool.cache().orElseThrow(), upstream(200, "catalog v1", h -> {
            h.set(HttpHeaderNames.CACHE_CONTROL, "max-age=0");
            h.set(HttpHeaderNames.ETAG, "\"v1\"");
        }));
        assertThat(get(stale)).as("stored, and stale at once").isEqualTo("200 MISS catalog v1");

        String revalidated = get(new CachingCall(pool.cache().orElseThrow(), upstream(304, "", h -> { })));

        assertThat(revalidated).isEqualTo("200 REVALIDATED catalog v1");
        assertThat(upstreamCalls.get(upstreamCalls.size() - 1).stale()).as("validators were asked for").isNotNull();
    }

    @Test
    void theClientsOwnConditionalRequestGetsTheUpstreamsNotModified() {
        ProxyCall stale = new CachingCall(pool.cache().orElseThrow(), upstream(200, "catalog v1", h -> {
            h.set(HttpHeaderNames.CACHE_CONTROL, "max-age=0");
            h.set(HttpHeaderNames.ETAG, "\"v1\"");
        }));
        get(stale);

        String answer = get(new CachingCall(pool.cache().orElseThrow(), upstream(304, "", h -> { })),
                h -> h.set(HttpHeaderNames.IF_NONE_MATCH, "\"v1\""));

        assertThat(answer).isEqualTo("304 MISS ");
    }

    @Test
    void aRequestWithCredentialsIsNeitherAnsweredFromNorStoredInTheCache() {
        ProxyCall cached = new CachingCall(pool.cache().orElseThrow(),
                upstream(200, "my orders", h -> h.set(HttpHeaderNames.CACHE_CONTROL, "max-age=60")));

        assertThat(get(cached, h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer a"))).isEqualTo("200 null my orders");
        assertThat(get(cached, h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer a"))).isEqualTo("200 null my orders");
        assertThat(upstreamCalls).hasSize(2);
    }
}
