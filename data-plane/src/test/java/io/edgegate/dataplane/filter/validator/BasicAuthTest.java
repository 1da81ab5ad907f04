package io.edgegate.dataplane.filter.validator;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/** Basic authentication against an htpasswd-style file, through a real listener. */
class BasicAuthTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @TempDir
    Path dir;

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bcryptAndShaUsersPassAndOthersGet401() throws Exception {
        String sha = "{SHA}" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-1").digest("s3cret".getBytes(StandardCharsets.UTF_8)));
        String bcrypt = BCrypt.hashpw("hunter2", BCrypt.gensalt(6)).replaceFirst("^\\$2a\\$", "\\$2y\\$");
        Path users = dir.resolve("users.htpasswd");
        Files.writeString(users, "# who may call the admin API\nalice:" + bcrypt + "\nbob:" + sha + "\n");
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "basic-auth-demo"), example("filters/validator-basic-auth.yaml", app.url())
                    .replace("/etc/edgegate/users.htpasswd", users.toString()));
            java.util.function.Function<String, HttpResponse<String>> get = auth -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin"));
                if (auth != null) {
                    request.header("Authorization", auth);
                }
                return node.send(request.build());
            };

            assertThat(get.apply(basic("alice", "hunter2")).statusCode()).isEqualTo(200);
            assertThat(get.apply(basic("alice", "hunter2")).statusCode()).isEqualTo(200);
            assertThat(get.apply(basic("bob", "s3cret")).statusCode()).isEqualTo(200);
            HttpResponse<String> wrong = get.apply(basic("alice", "hunter3"));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"edgegate\", charset=\"UTF-8\"");
            assertThat(get.apply(basic("mallory", "hunter2")).statusCode()).isEqualTo(401);
            assertThat(get.apply(null).statusCode()).isEqualTo(401);
            assertThat(get.apply("Basic not-base64!").statusCode()).as("401 as Easegress answers").isEqualTo(401);
            assertThat(get.apply("Bearer abc").statusCode()).isEqualTo(401);
            assertThat(app.received()).hasSize(3);
            assertThat(app.received().get(2).header("X-AUTH-USER")).as("the upstream learns who passed").isEqualTo("bob");

            // A client cannot claim another user: the header names whoever passed, as Easegress sets it.
            HttpResponse<String> claimed = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin"))
                    .header("Authorization", basic("bob", "s3cret")).header("X-AUTH-USER", "alice").build());
            assertThat(claimed.statusCode()).isEqualTo(200);
            assertThat(app.received().get(3).header("X-AUTH-USER")).isEqualTo("bob");
        }
    }

    /**
     * The hashes Easegress's htpasswd library reads (htpasswd's default $apr1$ MD5, $1$, SHA-crypt, {SSHA}, plain text), and the
     * file followed as it changes: a user taken out of it is refused, one added gets in, without a new apply.
     */
    @Test
    void htpasswdsOwnFormatsPassAndTheFileIsFollowed() throws Exception {
        Path users = dir.resolve("users.htpasswd");
        // Made with openssl passwd -apr1 / -1 / -5 / -6, and Python's sha1(password + salt) + salt for {SSHA}.
        Files.writeString(users, "alice:$apr1$Zk3aB9xQ$fSbHkLHZAac0FObnbJCQh0\ncarol:$1$saltsalt$Fh19vnKMtsly7quAMJ/jZ/\n"
                + "dave:{SSHA}PsGS4uWloZppJLWsVH672Y328CJOYUNsNHU=\nerin:plain-words\n"
                + "grace:$5$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA\n"
                + "heidi:$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1\n"
                // Python's crypt.crypt (glibc) with a rounds count:
                + "ivan:$6$rounds=1000$saltsalt$LAV5VE5Y7w1d73x1mFNspYWUpazfmwv2SoepNXNKJ/otop/Zok96Hr8Q13LEv0DRY/x8v0/crpIjl8NJSAqXV/\n");
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "basic-auth-demo"), example("filters/validator-basic-auth.yaml", app.url())
                    .replace("/etc/edgegate/users.htpasswd", users.toString()));
            java.util.function.Function<String, Integer> status = auth -> node.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/admin")).header("Authorization", auth).build()).statusCode();

            assertThat(status.apply(basic("alice", "open sesame"))).isEqualTo(200);
            assertThat(status.apply(basic("alice", "open sesamE"))).isEqualTo(401);
            assertThat(status.apply(basic("carol", "p@ss"))).isEqualTo(200);
            assertThat(status.apply(basic("dave", "secret"))).isEqualTo(200);
            assertThat(status.apply(basic("dave", "secreT"))).isEqualTo(401);
            assertThat(status.apply(basic("erin", "plain-words"))).isEqualTo(200);
            assertThat(status.apply(basic("grace", "secret"))).isEqualTo(200);
            assertThat(status.apply(basic("grace", "Secret"))).isEqualTo(401);
            assertThat(status.apply(basic("heidi", "secret"))).isEqualTo(200);
            assertThat(status.apply(basic("heidi", "secret "))).isEqualTo(401);
            assertThat(status.apply(basic("ivan", "secret"))).as("a rounds count, as glibc writes it").isEqualTo(200);

            Files.writeString(users, "erin:plain-words\nfrank:{SHA}" + Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-1").digest("x".getBytes(StandardCharsets.UTF_8))) + "\n");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> status.apply(basic("alice", "open sesame")) == 401);
            assertThat(status.apply(basic("frank", "x"))).isEqualTo(200);
            assertThat(status.apply(basic("erin", "plain-words"))).isEqualTo(200);

            // Another scheme's hash is refused, not read as a plain password that the hash itself would be.
            Path sha512 = dir.resolve("sha512.htpasswd");
            Files.writeString(sha512, "mallory:$y$j9T$salt$c0ffee\n");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> node.apply(server("s", port, "basic-auth-demo"),
                    example("filters/validator-basic-auth.yaml", app.url()).replace("/etc/edgegate/users.htpasswd", sha512.toString())))
                    .hasMessageContaining("line 1");

            // A file gone bad keeps the users it had.
            Files.writeString(users, "no colon on this line\n");
            Thread.sleep(Credentials.FromFile.CHECK_EVERY_NANOS / 1_000_000 + 200);
            assertThat(status.apply(basic("frank", "x"))).isEqualTo(200);
        }
    }

    /**
     * Easegress checks a signature before Basic credentials: a request that fails both is refused
     * for its signature, without a password hash being computed for it.
     */
    @Test
    void aSignatureIsCheckedBeforeBasicCredentials() throws Exception {
        Path users = dir.resolve("users.htpasswd");
        Files.writeString(users, "alice:" + BCrypt.hashpw("hunter2", BCrypt.gensalt(6)) + "\n");
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "both"), """
                    kind: HTTPPipeline
                    name: both
                    flow:
                      - filter: check
                      - filter: proxy
                    filters:
                      - name: check
                        kind: Validator
                        signature:
                          accessKeys:
                            app-1: secret-of-app-1
                        basicAuth:
                          mode: FILE
                          userFile: %s
                      - name: proxy
                        kind: Proxy
                        mainPool:
                          servers:
                            - url: %s
                    """.formatted(users, app.url()));

            HttpResponse<String> refused = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Authorization", basic("alice", "wrong")).build());

            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("HMAC realm=\"edgegate\"");
            assertThat(app.received()).isEmpty();
        }
    }

    @Test
    void etcdModeFollowsItsCustomDataWithoutAnotherPipeline() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            String example = example("filters/validator-basic-auth-etcd.yaml", app.url());
            String pipeline = example.substring(example.indexOf("kind: HTTPPipeline"));
            node.apply(server("s", port, "basic-auth-etcd-demo"), example);
            java.util.function.Function<String, Integer> status = auth -> node.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).header("Authorization", auth).build())
                    .statusCode();

            assertThat(status.apply(basic("alice", "hunter2"))).isEqualTo(200);
            assertThat(status.apply(basic("bob", "s3cret"))).isEqualTo(200);
            assertThat(status.apply(basic("bob", "hunter2"))).isEqualTo(401);

            // Alice leaves, carol arrives, and a malformed record locks out only itself.
            String carol = BCrypt.hashpw("pa55", BCrypt.gensalt(4));
            node.apply(server("s", port, "basic-auth-etcd-demo"), pipeline, """
                    kind: CustomData
                    name: credentials
                    records:
                      - username: carol
                        password: %s
                      - username: dave
                        password: plain-text-as-easegress-takes-it
                      - username: erin
                    """.formatted(carol));

            assertThat(status.apply(basic("alice", "hunter2"))).isEqualTo(401);
            assertThat(status.apply(basic("carol", "pa55"))).isEqualTo(200);
            assertThat(status.apply(basic("dave", "plain-text-as-easegress-takes-it"))).isEqualTo(200);
            assertThat(status.apply(basic("erin", ""))).as("a record without a password").isEqualTo(401);

            // Without its CustomData nobody gets in, and nothing else breaks.
            node.apply(server("s", port, "basic-auth-etcd-demo"), pipeline);
            assertThat(status.apply(basic("carol", "pa55"))).isEqualTo(401);
            assertThat(app.received()).hasSize(4);
        }
    }
}
