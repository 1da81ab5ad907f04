package io.edgegate.dataplane.filter.fileserver;

import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.FreePorts;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Easegress v2's FileServer through a real listener, with every key of its reference page and with none but root. */
class FileServerTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @TempDir
    static Path tmp;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static Path root;
    private static byte[] big;

    @BeforeAll
    static void files() throws Exception {
        root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(root.resolve("a.txt"), "plain text file");
        Files.writeString(root.resolve("README"), "no extension, text inside");
        Files.writeString(root.resolve("site.css"), "body { color: red }");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.txt"), "docs index");
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/config"), "[core]");
        Files.writeString(root.resolve("nginx.conf"), "worker_processes 1;");
        Files.createDirectories(root.resolve("private"));
        Files.writeString(root.resolve("private/key.txt"), "secret");
        Files.writeString(root.resolve("privateer.txt"), "a pirate");
        Files.writeString(root.resolve("user-42.txt"), "user forty-two");
        Files.writeString(root.resolve("app.js"), "console.log('plain')");
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(root.resolve("app.js.gz")))) {
            gz.write("console.log('precompressed')".getBytes(StandardCharsets.UTF_8));
        }
        Files.createDirectories(root.resolve("x"));
        Files.writeString(root.resolve("x/lib.js"), "lib");
        Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(tmp.resolve("outside/secret.txt"), "not to be served");
        Files.createSymbolicLink(root.resolve("escape.txt"), tmp.resolve("outside/secret.txt"));
        Files.createSymbolicLink(root.resolve("up"), tmp.resolve("outside"));
        Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("a.txt"));
        Files.createSymbolicLink(root.resolve("pub"), root.resolve(".git"));
        big = new byte[200_000];
        new Random(3).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
    }

    private static int serve(String filterKeys) throws Exception {
        int port = FreePorts.pick();
        node.apply(server("files", port, "fileserver-pipeline"), """
                name: fileserver-pipeline
                kind: Pipeline
                filters:
                - name: fileserver-filter
                  kind: FileServer
                  root: %s
                %s""".formatted(root, filterKeys.indent(2)));
        return port;
    }

    private static HttpResponse<byte[]> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static String gunzip(byte[] body) throws Exception {
        return new String(new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void withOnlyARootFilesAreServedWithAContentHashAndTheRootsIndex() throws Exception {
        int port = serve("");

        HttpResponse<byte[]> file = get(port, "/a.txt");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(text(file)).isEqualTo("plain text file");
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest("plain text file".getBytes(StandardCharsets.UTF_8)));
        assertThat(file.headers().firstValue("ETag")).hasValue("\"" + sha1 + "\"");
        assertThat(file.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(file.headers().firstValue("Last-Modified")).isPresent();
        assertThat(file.headers().firstValue("Cache-Control")).isEmpty();
        assertThat(get(port, "/README").headers().firstValue("Content-Type")).as("sniffed, as Go's server does")
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(get(port, "/big.bin").headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(text(get(port, "/"))).isEqualTo("<h1>home</h1>");
        // As Easegress's reference page says: a directory asked for with its '/' gets its index (its code only gave the root one).
        assertThat(text(get(port, "/docs/"))).isEqualTo("docs index");
        assertThat(get(port, "/docs").statusCode()).isEqualTo(404);
        assertThat(text(get(port, "/docs/../a.txt"))).isEqualTo("plain text file");
        assertThat(get(port, "/a%00.txt").statusCode()).as("a NUL no file name can hold").isEqualTo(400);
        assertThat(get(port, "/%2e%2e/%2e%2e/etc/passwd").statusCode()).isEqualTo(404);
        HttpResponse<byte[]> missing = get(port, "/missing.txt");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(text(missing)).contains("file not found");

        assertThat(get(port, "/a.txt", "If-None-Match", "\"" + sha1 + "\"").statusCode()).isEqualTo(304);
        HttpResponse<byte[]> range = get(port, "/a.txt", "Range", "bytes=0-4");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(text(range)).isEqualTo("plain");
        HttpResponse<byte[]> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/a.txt"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void linksAreFollowedOnlyToFilesUnderTheRootAndHiddenRulesSeeWhereTheyLead() throws Exception {
        int port = serve("hidden: [\".git\"]");

        assertThat(text(get(port, "/alias.txt"))).as("a link inside the root").isEqualTo("plain text file");
        assertThat(get(port, "/escape.txt").statusCode()).isEqualTo(404);
        assertThat(get(port, "/up/secret.txt").statusCode()).isEqualTo(404);
        assertThat(get(port, "/pub/config").statusCode()).as("a link into a hidden directory").isEqualTo(403);
    }

    @Test
    void aTryFilesOfOnlyAnErrorEntryAnswersWithItForMissingFiles() throws Exception {
        int port = serve("tryFiles: [\"=410 gone for good\"]");

        assertThat(text(get(port, "/a.txt"))).isEqualTo("plain text file");
        HttpResponse<byte[]> missing = get(port, "/missing.txt");
        assertThat(missing.statusCode()).isEqualTo(410);
        assertThat(text(missing)).contains("gone for good");
    }

    @Test
    void tryFilesServeASinglePageAppAndTheirErrorEntryAnswersWhenNothingIsFound() throws Exception {
        int spa = serve("tryFiles: [\"{path}\", \"{path}/\", \"/index.html\"]");
        assertThat(text(get(spa, "/a.txt"))).isEqualTo("plain text file");
        assertThat(text(get(spa, "/docs/"))).as("{path}/ finds the directory's index").isEqualTo("docs index");
        assertThat(text(get(spa, "/app/route/42"))).as("falls back to the app").isEqualTo("<h1>home</h1>");

        int strict = serve("tryFiles: [\"{path}\", \"=410 gone for good\"]");
        HttpResponse<byte[]> gone = get(strict, "/nothing");
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(text(gone)).contains("gone for good");
    }

    @Test
    void hiddenNamesAndPathsAre403AndARewriteChangesThePathFirst() throws Exception {
        int port = serve("""
                hidden: [".git", "*.conf", "%s/private"]
                rewrite: "^/users/(\\\\d+)$ /user-$1.txt"
                """.formatted(root));

        assertThat(get(port, "/.git/config").statusCode()).isEqualTo(403);
        assertThat(get(port, "/nginx.conf").statusCode()).isEqualTo(403);
        assertThat(get(port, "/private/key.txt").statusCode()).isEqualTo(403);
        assertThat(text(get(port, "/privateer.txt"))).as("a path rule hides what is under it, not names it begins").isEqualTo("a pirate");
        assertThat(text(get(port, "/users/42"))).isEqualTo("user forty-two");
        assertThat(get(port, "/users/x").statusCode()).isEqualTo(404);
    }

    @Test
    void precompressedFilesGoToClientsThatAcceptThemAndCompressGzipsTheRest() throws Exception {
        int port = serve("""
                precompressed: "gzip br"
                compress: gzip
                cache:
                  bufferPoolMaxFileSize: 1000
                """);

        HttpResponse<byte[]> pre = get(port, "/app.js", "Accept-Encoding", "gzip, deflate, br");
        assertThat(pre.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(pre.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
        assertThat(pre.headers().firstValue("Vary")).hasValueSatisfying(v -> assertThat(v).containsIgnoringCase("accept-encoding"));
        assertThat(gunzip(pre.body())).isEqualTo("console.log('precompressed')");
        assertThat(text(get(port, "/app.js"))).as("without Accept-Encoding").isEqualTo("console.log('plain')");
        assertThat(text(get(port, "/app.js", "Accept-Encoding", "gzip;q=0"))).isEqualTo("console.log('plain')");

        HttpResponse<byte[]> small = get(port, "/a.txt", "Accept-Encoding", "gzip");
        assertThat(small.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(small.headers().firstValue("ETag")).hasValueSatisfying(e -> assertThat(e).startsWith("W/\""));
        assertThat(gunzip(small.body())).isEqualTo("plain text file");

        HttpResponse<byte[]> large = get(port, "/big.bin", "Accept-Encoding", "gzip");
        assertThat(large.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(new GZIPInputStream(new ByteArrayInputStream(large.body())).readAllBytes()).isEqualTo(big);
        HttpResponse<byte[]> ranged = get(port, "/big.bin", "Accept-Encoding", "gzip", "Range", "bytes=10-19");
        assertThat(ranged.statusCode()).as("a range is of the file, not gzip'd").isEqualTo(206);
        assertThat(ranged.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(ranged.body()).isEqualTo(java.util.Arrays.copyOfRange(big, 10, 20));
    }

    @Test
    void largeFilesStreamWithAModificationTagAndCacheRulesSetTheirLifetime() throws Exception {
        int port = serve("""
                cache:
                  bufferPoolMaxFileSize: 1000
                  cacheFileExtensionFilters:
                  - extension: ["*.css"]
                    etagMaxAge: 60
                  - pattern: ["/x/*.js"]
                """);

        HttpResponse<byte[]> large = get(port, "/big.bin");
        assertThat(large.body()).isEqualTo(big);
        assertThat(large.headers().firstValue("ETag")).hasValueSatisfying(e -> assertThat(e).matches("\"[0-9a-f]+-30d40\""));
        assertThat(get(port, "/site.css").headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        // A pattern with a '/' is an absolute path; this one names none under the root.
        assertThat(get(port, "/x/lib.js").headers().firstValue("Cache-Control")).isEmpty();
        int rooted = serve("""
                cache:
                  cacheFileExtensionFilters:
                  - pattern: ["%s/x/*.js"]
                """.formatted(root));
        assertThat(get(rooted, "/x/lib.js").headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
    }

    @Test
    void theExampleServesASinglePageAppWithItsFilesCachedAndCompressed() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("files", port, "fileserver-pipeline"),
                LocalNode.example("filters/file-server.yaml").replace("/var/www/example", root.toString()));

        assertThat(text(get(port, "/some/route"))).isEqualTo("<h1>home</h1>");
        assertThat(get(port, "/.git/config").statusCode()).isEqualTo(403);
        HttpResponse<byte[]> script = get(port, "/app.js", "Accept-Encoding", "br, gzip");
        assertThat(gunzip(script.body())).isEqualTo("console.log('precompressed')");
        assertThat(script.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
        HttpResponse<byte[]> css = get(port, "/site.css", "Accept-Encoding", "gzip");
        assertThat(gunzip(css.body())).isEqualTo("body { color: red }");
    }

    @Test
    void whatCannotWorkIsRefusedByName() {
        String[][] refusals = {
            {"compress: br", "compress: 'br' is not a compression: gzip"},
            {"precompressed: deflate", "'deflate' is not a coding read here"},
            {"tryFiles: [\"=abc\"]", "'=abc' is not '=CODE message'"},
            {"hidden: [\"[a\"]", "'[a' has a '[' without its ']'"},
            {"rewrite: \"^/(x $1\"", "rewrite"},
        };
        for (String[] refusal : refusals) {
            assertThatThrownBy(() -> serve(refusal[0])).as(refusal[0]).hasMessageContaining(refusal[1]);
        }
    }
}
