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
