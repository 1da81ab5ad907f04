package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Proxy's memory cache as clients and the upstream see it. */
class MemoryCacheTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static final int PORT = FreePorts.pick();
    private static EchoBackend app;

    @BeforeAll
    static void start() throws Exception {
        app = EchoBackend.start("app");
        node.apply(server("s", PORT, "cache-demo"), example("filters/memory-cache.yaml", app.url()));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return node.send(request.build());
    }

    private static long upstreamSaw(String uri) {
        return app.received().stream().filter(r -> r.uri().equals(uri)).count();
    }

    @Test
    void aCacheableAnswerIsServedFromMemoryTheSecondTime() {
        HttpResponse<String> first = get("/catalog?pad=3000");
        HttpResponse<String> second = get("/catalog?pad=3000");
        HttpResponse<String> head = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/catalog?pad=3000"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(second.headers().firstValue("Age")).isPresent();
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(head.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(upstreamSaw("/catalog?pad=3000")).isEqualTo(1);
    }

    @Test
    void noStoreAndPrivateAreNeverCached() {
        for (int i = 0; i < 2; i++) {
            assertThat(get("/nostore?cacheControl=no-store").headers().firstValue("X-Cache")).hasValue("MISS");
            assertThat(get("/mine?cacheControl=private,max-age=60").headers().firstValue("X-Cache")).hasValue("MISS");
        }
        assertThat(upstreamSaw("/nostore?cacheControl=no-store")).isEqualTo(2);
        assertThat(upstreamSaw("/mine?cacheControl=private,max-age=60")).isEqualTo(2);
    }

    @Test
    void varySplitsEntries() {
        String path = "/greeting?vary=Accept-Language";
        assertThat(get(path, "Accept-Language", "en").headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(get(path, "Accept-Language", "fr").headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(get(path, "Accept-Language", "en").headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(get(path, "Accept-Language", "fr").headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(upstreamSaw(path)).isEqualTo(2);
    }

    @Test
    void aStaleEntryWithAValidatorIsRevalidatedWithTheUpstream() {
        String path = "/doc?cacheControl=max-age=0&etag=v1";
        HttpResponse<String> first = get(path);
        HttpResponse<String> second = get(path);

        assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("X-Cache")).hasValue("REVALIDATED");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(app.received()).filteredOn(r -> r.uri().equals(path)).last()
                .satisfies(r -> assertThat(r.header("If-None-Match")).isEqualTo("\"v1\""));
    }

    @Test
    void memoryStaysUnderItsBoundWhenFilledWithTenTimesItsSize() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", PORT, "cache-demo"), example("filters/memory-cache.yaml", app.url()),
                server("small", port, "small-cache"), """
                name: small-cache
                kind: HTTPPipeline
                filters:
                - name: proxy
                  kind: Proxy
                  mainPool:
                    servers: [{url: %s}]
                    memoryCache: {expiration: 60s, maxEntryBytes: 20000, maxTotalBytes: 200000}
                """.formatted(app.url()));

        for (int i = 0; i < 100; i++) {
            assertThat(node.get(port, "/big/" + i + "?pad=19000").headers().firstValue("X-Cache")).hasValue("MISS");
        }
        int hits = 0;
        for (int i = 99; i >= 0; i--) {
            if (node.get(port, "/big/" + i + "?pad=19000").headers().firstValue("X-Cache").orElse("").equals("HIT")) {
                hits++;
            }
        }

        // 200,000 bytes hold at most 10 answers of ~19.5 KB. Which ones stay is the cache's
        // admission policy's choice (W-TinyLFU: how often an answer is asked for, not only how
        // recently), so only the bound is asserted, and that an answer asked for again and
        // again after the churn is taken in.
        assertThat(hits).isLessThanOrEqualTo(10);
        boolean admitted = false;
        for (int i = 0; i < 10 && !admitted; i++) {
            admitted = node.get(port, "/popular?pad=19000").headers().firstValue("X-Cache").orElse("").equals("HIT");
        }
        assertThat(admitted).as("a popular answer is cached after the churn").isTrue();
    }
}
