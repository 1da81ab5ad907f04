package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.Decoder;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** examples/filters/compression.yaml: what clients with and without Accept-Encoding receive. */
class CompressionTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static final int PORT = FreePorts.pick();
    private static EchoBackend app;

    @BeforeAll
    static void start() throws Exception {
        app = EchoBackend.start("app");
        node.apply(server("s", PORT, "compression-demo"), example("filters/compression.yaml", app.url()));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<byte[]> get(String path, String acceptEncoding) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path));
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        try {
            return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void gzipAndBrotliBodiesDecodeToTheOriginal() throws Exception {
        byte[] original = get("/page?pad=20000", null).body();
        HttpResponse<byte[]> gzip = get("/page?pad=20000", "gzip, deflate");
        HttpResponse<byte[]> brotli = get("/page?pad=20000", "gzip, deflate, br");

        assertThat(original).hasSizeGreaterThan(20_000);
        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzip.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("accept-encoding"));
        assertThat(gzip.body().length).isLessThan(original.length / 5);
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gzip.body())).readAllBytes()).isEqualTo(original);
        Brotli4jLoader.ensureAvailability();
        assertThat(brotli.headers().firstValue("Content-Encoding")).hasValue("br");
        assertThat(Decoder.decompress(brotli.body()).getDecompressedData()).isEqualTo(original);
    }

    @Test
    void rangesNoTransformAndCodingsAStarDoesNotCoverAreLeftAlone() throws Exception {
        HttpResponse<byte[]> range = get("/file?pad=5000&status=206&header=Content-Range:bytes%200-5047/9000", "gzip");
        HttpResponse<byte[]> noTransform = get("/page?pad=5000&cacheControl=no-transform", "gzip");
        HttpResponse<byte[]> star = get("/page?pad=5000", "br;q=0, *");
        HttpResponse<byte[]> upper = get("/page?pad=5000", "gzip;Q=0");

        assertThat(range.headers().firstValue("Content-Encoding")).as("a range counts identity bytes").isEmpty();
        assertThat(noTransform.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(star.headers().firstValue("Content-Encoding")).as("'*' stands only for codings not named").hasValue("gzip");
        assertThat(new GZIPInputStream(new ByteArrayInputStream(star.body())).readAllBytes()).hasSizeGreaterThan(5000);
        assertThat(upper.headers().firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void aCompressedAnswerHasAWeakEtagAndNoRanges() {
        HttpResponse<byte[]> gzip = get("/page?pad=5000&etag=v1&header=Accept-Ranges:bytes", "gzip");
        HttpResponse<byte[]> identity = get("/page?pad=5000&etag=v1&header=Accept-Ranges:bytes", null);

        assertThat(gzip.headers().firstValue("ETag")).hasValue("W/\"v1\"");
        assertThat(gzip.headers().firstValue("Accept-Ranges")).isEmpty();
        assertThat(identity.headers().firstValue("ETag")).hasValue("\"v1\"");
        assertThat(identity.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    }

    @Test
    void answersFromTheCacheAreCompressedToo() throws Exception {
        int cachedPort = FreePorts.pick();
        node.apply(server("s", PORT, "compression-demo"), example("filters/compression.yaml", app.url()),
                server("cached", cachedPort, "cached"), """
                kind: HTTPPipeline
                name: cached
                filters:
                  - name: proxy
                    kind: Proxy
                    mainPool:
                      servers:
                        - url: %s
                      memoryCache:
                        codes: [200]
                        methods: [GET]
                        expiration: 30s
                        maxEntryBytes: 65536
                    compression:
                      minLength: 1024
                """.formatted(app.url()));
        String path = "/cached?pad=20000&cacheControl=max-age=60";
        java.util.function.Supplier<HttpResponse<byte[]>> fetch = () -> {
            try {
                return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + cachedPort + path)).header("Accept-Encoding", "gzip").build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };

        HttpResponse<byte[]> miss = fetch.get();
        HttpResponse<byte[]> hit = fetch.get();

        assertThat(miss.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
        for (HttpResponse<byte[]> answer : List.of(miss, hit)) {
            assertThat(answer.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(answer.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("accept-encoding"));
            assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(answer.body())).readAllBytes(), StandardCharsets.UTF_8))
                    .startsWith("app\nGET /cached");
        }
        assertThat(app.received()).filteredOn(r -> r.uri().equals(path)).hasSize(1);
    }

    @Test
    void smallBodiesImagesAndRefusedEncodingsAreSentAsTheyAre() {
        HttpResponse<byte[]> small = get("/small", "gzip, br");
        HttpResponse<byte[]> image = get("/logo?pad=5000&type=image/png", "gzip, br");
        HttpResponse<byte[]> refused = get("/page?pad=5000", "gzip;q=0, br;q=0");

        assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(small.body(), StandardCharsets.UTF_8)).startsWith("app\nGET /small");
        assertThat(image.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(image.body()).hasSizeGreaterThan(5000);
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
    }
}
