package io.edgegate.dataplane.filter.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.spec.filter.proxy.MemoryCacheSpec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the memory cache stores and how it ages its entries, with the rules of RFC 9111 and Easegress. */
class ResponseCacheTest {

    private final ResponseCache cache = new ResponseCache(
            new MemoryCacheSpec(List.of(200), List.of("GET", "HEAD"), Duration.ofSeconds(30), 65536, 1 << 20));

    private static HttpRequest get(String uri, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        request.headers().set(HttpHeaderNames.HOST, "shop.example");
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    /** The upstream answers {@code request} with 200 and {@code headers}; the answer is streamed to its end through the cache. */
    private void answer(HttpRequest request, String scheme, String... headers) throws Exception {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        for (int i = 0; i < headers.length; i += 2) {
            head.headers().add(headers[i], headers[i + 1]);
        }
        byte[] body = "the catalog".getBytes(StandardCharsets.UTF_8);
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        Response sent = cache.storeWhileStreaming(request, scheme, new Response(head, new FixedBody(Unpooled.wrappedBuffer(body))),
                ByteBufAllocator.DEFAULT);
        BodyCollector.collectBytes(sent.body(), ByteBufAllocator.DEFAULT, 1 << 20).get(5, TimeUnit.SECONDS);
    }

    private ResponseCache.Entry fresh(HttpRequest request, String scheme) {
        ResponseCache.Lookup lookup = cache.lookup(request, scheme);
        return lookup == null ? null : lookup.fresh();
    }

    @Test
    void anAnswerOverHttpIsNotServedOverHttpsNorTheOtherWayRound() throws Exception {
        answer(get("/page"), "http", "Cache-Control", "max-age=60");

        assertThat(fresh(get("/page"), "http")).isNotNull();
        assertThat(fresh(get("/page"), "https")).as("the page may hold http:// links, or be a redirect to https").isNull();
    }

    @Test
    void theUpstreamsAgeCountsAgainstFreshness() throws Exception {
        answer(get("/almost-stale"), "http", "Cache-Control", "max-age=20", "Age", "19");
        answer(get("/young"), "http", "Cache-Control", "max-age=20", "Age", "5");
        answer(get("/too-old"), "http", "Cache-Control", "max-age=20", "Age", "21");

        ResponseCache.Entry young = fresh(get("/young"), "http");
        assertThat(young).isNotNull();
        Response served = young.toResponse(System.nanoTime(), "HIT");
        assertThat(served.head().headers().getInt(HttpHeaderNames.AGE)).as("its age includes the upstream's").isBetween(5, 7);
        assertThat(fresh(get("/too-old"), "http")).isNull();
        assertThat(fresh(get("/almost-stale"), "http")).isNotNull();
    }

    /** The pool's expiration (30 s here) bounds every entry: an upstream's year-long max-age does not outlast it. */
    @Test
    void noAnswerStaysFreshLongerThanTheConfiguredExpiration() throws Exception {
        answer(get("/asset"), "http", "Cache-Control", "max-age=31536000", "Age", "31");
        answer(get("/recent-asset"), "http", "Cache-Control", "max-age=31536000", "Age", "29");

        assertThat(fresh(get("/asset"), "http")).isNull();
        assertThat(fresh(get("/recent-asset"), "http")).isNotNull();
    }

    @Test
    void aHugeMaxAgeIsClampedNotOverflowed() throws Exception {
        answer(get("/forever"), "http", "Cache-Control", "max-age=99999999999999999999");
        answer(get("/long"), "http", "Cache-Control", "max-age=99999999999");

        assertThat(fresh(get("/forever"), "http")).isNotNull();
        assertThat(fresh(get("/long"), "http")).isNotNull();
    }

    @Test
    void anAnswerForOneOriginOrToARequestSayingNoStoreIsNotStored() throws Exception {
        answer(get("/one-origin"), "http", "Cache-Control", "max-age=60", "Access-Control-Allow-Origin", "https://a.example");
        answer(get("/any-origin"), "http", "Cache-Control", "max-age=60", "Access-Control-Allow-Origin", "*");
        answer(get("/asked-not-to", "Cache-Control", "no-store"), "http", "Cache-Control", "max-age=60");

        assertThat(fresh(get("/one-origin"), "http")).isNull();
        assertThat(fresh(get("/any-origin"), "http")).isNotNull();
        assertThat(fresh(get("/asked-not-to"), "http")).isNull();
    }

    @Test
    void aRevalidating304UpdatesTheStoredHeaders() throws Exception {
        answer(get("/doc"), "http", "Cache-Control", "max-age=0", "ETag", "\"v1\"", "X-Version", "1");
        ResponseCache.Lookup stale = cache.lookup(get("/doc"), "http");
        assertThat(stale.stale()).isNotNull();

        HttpResponse notModified = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
        notModified.headers().set("Cache-Control", "max-age=3600").set("X-Version", "2").set("Content-Length", "0");
        cache.revalidated(stale, notModified);

        ResponseCache.Entry refreshed = fresh(get("/doc"), "http");
        assertThat(refreshed).isNotNull();
        Response served = refreshed.toResponse(System.nanoTime(), "HIT");
        assertThat(served.head().headers().get("Cache-Control")).isEqualTo("max-age=3600");
        assertThat(served.head().headers().get("X-Version")).isEqualTo("2");
        assertThat(served.head().headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).as("the stored body's length, not the 304's")
                .isEqualTo("the catalog".length());
    }

    /** A 304 that sets a cookie answers its own request only: the entry is not served to others with that cookie. */
    @Test
    void a304CarryingACookieDoesNotGoIntoTheEntry() throws Exception {
        answer(get("/page"), "http", "Cache-Control", "max-age=0", "ETag", "\"v1\"");
        ResponseCache.Lookup stale = cache.lookup(get("/page"), "http");
        HttpResponse notModified = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
        notModified.headers().set("Cache-Control", "max-age=3600").set("Set-Cookie", "SESSION=client-a");

        cache.revalidated(stale, notModified);

        ResponseCache.Lookup after = cache.lookup(get("/page"), "http");
        assertThat(after == null || (after.fresh() == null && after.stale() == null)).as("the entry left the cache").isTrue();
    }

    /** A bare 304 keeps the stored answer's own rules: max-age=0 still means ask again next time. */
    @Test
    void aBare304KeepsTheStoredFreshnessRules() throws Exception {
        answer(get("/always-check"), "http", "Cache-Control", "max-age=0", "ETag", "\"v1\"");
        ResponseCache.Lookup stale = cache.lookup(get("/always-check"), "http");
        cache.revalidated(stale, new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED));

        assertThat(fresh(get("/always-check"), "http")).isNull();
        assertThat(cache.lookup(get("/always-check"), "http").stale()).isNotNull();
    }
}
