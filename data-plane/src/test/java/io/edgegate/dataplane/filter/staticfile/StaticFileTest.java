package io.edgegate.dataplane.filter.staticfile;

import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.server.RawClient;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.ExternalCommand;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** StaticFile through a real listener: what browsers, curl and caches see. */
class StaticFileTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @TempDir
    static Path tmp;

    private static final int PORT = FreePorts.pick();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static Path root;
    private static byte[] big;

    @BeforeAll
    static void files() throws Exception {
        root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(root.resolve("site.css"), "body { color: red }");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>");
        Files.writeString(tmp.resolve("secret.txt"), "outside the root");
        Files.createSymbolicLink(root.resolve("escape.txt"), tmp.resolve("secret.txt"));
        big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        node.apply(baseConfig());
    }

    /** The listener every test uses; a test that adds objects applies them together with these. */
    private static String[] baseConfig() {
        return new String[] {server("files", PORT, "static"), """
                name: static
                kind: HTTPPipeline
                flow:
                - filter: files
                filters:
                - name: files
                  kind: StaticFile
                  root: %s
                  maxAge: 1h
                """.formatted(root)};
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void aFileIsServedWithItsTypeAndValidators() throws Exception {
        HttpResponse<byte[]> css = get("/site.css");

        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(text(css)).isEqualTo("body { color: red }");
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(css.headers().firstValue("ETag")).hasValueSatisfying(e -> assertThat(e).matches("\"[0-9a-f]+-13\""));
        assertThat(css.headers().firstValue("Last-Modified")).isPresent();
        assertThat(css.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
        assertThat(css.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    }

    @Test
    void aClientWithTheCurrentCopyGets304() throws Exception {
        HttpResponse<byte[]> first = get("/site.css");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        String modified = first.headers().firstValue("Last-Modified").orElseThrow();

        HttpResponse<byte[]> byEtag = get("/site.css", "If-None-Match", "\"other\", " + etag);
        HttpResponse<byte[]> byDate = get("/site.css", "If-Modified-Since", modified);
        HttpResponse<byte[]> stale = get("/site.css", "If-None-Match", "\"other\"");

        assertThat(byEtag.statusCode()).isEqualTo(304);
        assertThat(byEtag.body()).isEmpty();
        assertThat(byEtag.headers().firstValue("ETag")).hasValue(etag);
        assertThat(byDate.statusCode()).isEqualTo(304);
        assertThat(stale.statusCode()).isEqualTo(200);
    }

    @Test
    void rangesGet206OrTheWholeFileOr416() throws Exception {
        HttpResponse<byte[]> middle = get("/big.bin", "Range", "bytes=1000-1999");
        HttpResponse<byte[]> tail = get("/big.bin", "Range", "bytes=-17");
        HttpResponse<byte[]> beyond = get("/big.bin", "Range", "bytes=99999999-");
        HttpResponse<byte[]> stale = get("/big.bin", "Range", "bytes=0-9", "If-Range", "\"not-current\"");

        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + big.length);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(big, 1000, 2000));
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(big, big.length - 17, big.length));
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + big.length);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).hasSize(big.length);
    }

    @Test
    void aLargeFileArrivesWholeOverCleartextSendfileAndOverHttp2() throws Exception {
        HttpResponse<byte[]> h1 = get("/big.bin");
        Path viaH2 = tmp.resolve("via-h2.bin");
        ExternalCommand.Result h2 = ExternalCommand.run(Duration.ofSeconds(20), List.of("curl", "-sS",
                "--http2-prior-knowledge", "-o", viaH2.toString(), "-w", "%{http_code} %{http_version}",
                "http://127.0.0.1:" + PORT + "/big.bin"));

        assertThat(h1.body()).isEqualTo(big);
        assertThat(h2.stdout()).as(h2.toString()).isEqualTo("200 2");
        assertThat(Files.readAllBytes(viaH2)).isEqualTo(big);
    }

    @Test
    void directoriesServeTheirIndexAndGetTheirSlash() throws Exception {
        HttpResponse<byte[]> home = get("/");
        HttpResponse<byte[]> docs = get("/docs/");
        HttpResponse<byte[]> noSlash = get("/docs?x=1");

        assertThat(text(home)).isEqualTo("<h1>home</h1>");
        assertThat(home.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(text(docs)).isEqualTo("<h1>docs</h1>");
        assertThat(noSlash.statusCode()).isEqualTo(301);
        assertThat(noSlash.headers().firstValue("Location")).hasValue("/docs/?x=1");
    }

    @Test
    void nothingOutsideTheRootIsReachable() throws Exception {
        try (RawClient raw = new RawClient(PORT)) {
            assertThat(raw.get("/../secret.txt")).startsWith("HTTP/1.1 404");
            assertThat(raw.get("/docs/../../secret.txt")).startsWith("HTTP/1.1 404");
            assertThat(raw.get("/%2e%2e/secret.txt")).startsWith("HTTP/1.1 404");
            assertThat(raw.get("/docs/%2E%2E%2F%2E%2E%2Fsecret.txt")).startsWith("HTTP/1.1 404");
            assertThat(raw.get("/escape.txt")).startsWith("HTTP/1.1 404");
            assertThat(raw.get("/missing.txt")).startsWith("HTTP/1.1 404");
        }
        try (RawClient raw = new RawClient(PORT)) {
            assertThat(raw.get("/site.css%00.html")).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void headAnswersHeadersOnlyAndOtherMethodsAre405() throws Exception {
        HttpResponse<byte[]> head = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/site.css"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/site.css"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("19");
        assertThat(head.body()).isEmpty();
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void aMissingFileCanFallThroughToAProxy() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            String[] base = baseConfig();
            node.apply(base[0], base[1], server("mixed", port, "mixed"), """
                    name: mixed
                    kind: HTTPPipeline
                    flow:
                    - filter: files
                      jumpIf: {fileNotFound: proxy}
                    - filter: END
                    - filter: proxy
                    filters:
                    - name: files
                      kind: StaticFile
                      root: %s
                    - name: proxy
                      kind: Proxy
                      mainPool:
                        servers:
                        - url: %s
                    """.formatted(root, app.url()));

            HttpResponse<String> file = node.get(port, "/site.css");
            HttpResponse<String> api = node.get(port, "/api/users");

            assertThat(file.body()).isEqualTo("body { color: red }");
            assertThat(api.statusCode()).isEqualTo(200);
            assertThat(api.headers().firstValue(EchoBackend.NAME_HEADER)).hasValue("app");
        }
    }
}
