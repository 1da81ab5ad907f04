package io.edgegate.dataplane.filter.validator;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.TestTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Validator with real tokens through a real listener: what is let through and what is refused, and how. */
class ValidatorTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static final byte[] SECRET = "a-very-secret-key-for-tests-1234".getBytes(StandardCharsets.US_ASCII);
    private static final int PORT = FreePorts.pick();
    private static EchoBackend app;

    @BeforeAll
    static void start() throws Exception {
        app = EchoBackend.start("app");
        node.apply(server("s", PORT, "jwt-demo"), example("filters/validator-jwt.yaml", app.url()));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String b64(String json) {
        return TestTokens.b64(json);
    }

    static String hs256(String claims, byte[] secret) {
        return TestTokens.hs256(claims, secret);
    }

    private static String claims(long expiresInSeconds) {
        return "{\"sub\":\"alice\",\"exp\":" + (Instant.now().getEpochSecond() + expiresInSeconds) + "}";
    }

    private static HttpResponse<String> get(String... headers) {
        return node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/account")).headers(headers).build());
    }

    @Test
    void aValidTokenAndAllowedClientPass() throws Exception {
        String token = hs256(claims(300), SECRET);

        assertThat(get("X-Client", "web", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        EchoBackend.ReceivedRequest received = app.received().get(app.received().size() - 1);
        assertThat(received.header("X-User")).isEqualTo("alice");
        assertThat(received.header("Authorization")).isNull();
        assertThat(get("X-Client", "partner-acme", "Cookie", "session=" + token).statusCode()).isEqualTo(200);
        // As Easegress: the cookie is read first, so another scheme (or a stale token) in Authorization does not matter.
        String stale = hs256(claims(-60), SECRET);
        assertThat(get("X-Client", "web", "Cookie", "session=" + token, "Authorization", "Basic YWxpY2U6c2VjcmV0").statusCode())
                .isEqualTo(200);
        assertThat(get("X-Client", "web", "Cookie", "session=" + token, "Authorization", "Bearer " + stale).statusCode())
                .isEqualTo(200);
        assertThat(get("X-Client", "web", "Cookie", "session=" + stale, "Authorization", "Bearer " + token).statusCode())
                .as("a stale cookie is the token checked").isEqualTo(401);
    }

    @Test
    void wrongSignatureExpiryAndAlgNoneAreRefusedWith401() throws Exception {
        String forged = hs256(claims(300), "another-secret-another-secret-12".getBytes(StandardCharsets.US_ASCII));
        String expired = hs256(claims(-120), SECRET);
        String none = b64("{\"alg\":\"none\"}") + "." + b64(claims(300)) + ".";
        int before = app.received().size();

        for (String token : new String[] {forged, expired, none, "not-a-token"}) {
            HttpResponse<String> refused = get("X-Client", "web", "Authorization", "Bearer " + token);
            assertThat(refused.statusCode()).as(token).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer realm=\"edgegate\", error=\"invalid_token\""));
        }
        assertThat(get("X-Client", "web", "Authorization", "Bearer " + expired).body()).contains("expired");
        assertThat(app.received()).hasSize(before);
    }

    /** As Easegress's golang-jwt: no leeway on exp or nbf, and a token issued in the future (iat) is not valid yet. */
    @Test
    void timesAreCheckedWithoutLeewayAndIatToo() throws Exception {
        long now = Instant.now().getEpochSecond();
        String justExpired = hs256("{\"sub\":\"alice\",\"exp\":" + (now - 5) + "}", SECRET);
        String notYet = hs256("{\"sub\":\"alice\",\"nbf\":" + (now + 20) + "}", SECRET);
        String issuedLater = hs256("{\"sub\":\"alice\",\"iat\":" + (now + 20) + ",\"exp\":" + (now + 300) + "}", SECRET);
        String issuedBefore = hs256("{\"sub\":\"alice\",\"iat\":" + (now - 20) + ",\"exp\":" + (now + 300) + "}", SECRET);

        assertThat(get("X-Client", "web", "Authorization", "Bearer " + justExpired).statusCode()).as("exp 5 s ago").isEqualTo(401);
        assertThat(get("X-Client", "web", "Authorization", "Bearer " + notYet).statusCode()).as("nbf in 20 s").isEqualTo(401);
        assertThat(get("X-Client", "web", "Authorization", "Bearer " + issuedLater).statusCode()).as("iat in 20 s").isEqualTo(401);
        assertThat(get("X-Client", "web", "Authorization", "Bearer " + issuedBefore).statusCode()).isEqualTo(200);
    }

    @Test
    void missingOrMalformedCredentialsGet401AndAFailedHeaderRule400() throws Exception {
        HttpResponse<String> missing = get("X-Client", "web");
        HttpResponse<String> basic = get("X-Client", "web", "Authorization", "Basic YWxpY2U6c2VjcmV0");
        HttpResponse<String> wrongClient = get("X-Client", "scraper", "Authorization", "Bearer " + hs256(claims(300), SECRET));

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"edgegate\"");
        assertThat(basic.statusCode()).as("an Authorization Easegress cannot use is 401, whatever its scheme").isEqualTo(401);
        assertThat(basic.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"edgegate\", error=\"invalid_request\"");
        assertThat(wrongClient.statusCode()).as("a header rule that fails is a bad request, as in Easegress").isEqualTo(400);
        // As Easegress: a header sent on two lines passes when either line is allowed.
        String token = hs256(claims(300), SECRET);
        assertThat(get("X-Client", "scraper", "X-Client", "web", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        assertThat(get("X-Client", "scraper", "X-Client", "bot", "Authorization", "Bearer " + token).statusCode()).isEqualTo(400);
    }

    /** Easegress writes publicKey as hex of the PEM text, and takes EdDSA (Ed25519) tokens: so do we. */
    @Test
    void eddsaTokensVerifyWithAKeyWrittenAsEasegressWritesIt() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        int port = FreePorts.pick();
        node.apply(server("s", PORT, "jwt-demo"), example("filters/validator-jwt.yaml", app.url()),
                server("ed", port, "ed"), """
                name: ed
                kind: Pipeline
                filters:
                - name: v
                  kind: Validator
                  jwt:
                    algorithm: EdDSA
                    publicKey: %s
                - name: proxy
                  kind: Proxy
                  pools: [{servers: [{url: %s}]}]
                """.formatted(java.util.HexFormat.of().formatHex(pem.getBytes(StandardCharsets.US_ASCII)), app.url()));
        java.util.function.Function<java.security.PrivateKey, String> token = key -> {
            try {
                String signed = b64("{\"alg\":\"EdDSA\"}") + "." + b64(claims(300));
                Signature signer = Signature.getInstance("Ed25519");
                signer.initSign(key);
                signer.update(signed.getBytes(StandardCharsets.US_ASCII));
                return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        };

        assertThat(node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Authorization", "Bearer " + token.apply(keys.getPrivate())).build()).statusCode()).isEqualTo(200);
        assertThat(node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Authorization", "Bearer " + token.apply(other.getPrivate())).build()).statusCode()).isEqualTo(401);
    }

    @Test
    void es256TokensVerifyWithThePublicKeyAndHmacOnesCannotImpersonateThem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        String publicPem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----";
        int port = FreePorts.pick();
        node.apply(server("s", PORT, "jwt-demo"), example("filters/validator-jwt.yaml", app.url()),
                server("es", port, "es"), """
                name: es
                kind: HTTPPipeline
                flow:
                - filter: v
                  jumpIf: {invalid: END}
                - filter: proxy
                filters:
                - name: v
                  kind: Validator
                  jwt:
                    algorithm: ES256
                    publicKey: |
                %s
                - name: proxy
                  kind: Proxy
                  mainPool: {servers: [{url: %s}]}
                """.formatted(publicPem.lines().map(l -> "        " + l).reduce((a, b) -> a + "\n" + b).orElseThrow(), app.url()));
        String signed = b64("{\"alg\":\"ES256\"}") + "." + b64(claims(300));
        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(keys.getPrivate());
        signer.update(signed.getBytes(StandardCharsets.US_ASCII));
        String es256 = signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        // Key confusion: an HMAC token keyed with the public key's bytes.
        String confused = hs256(claims(300), keys.getPublic().getEncoded());

        assertThat(node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Authorization", "Bearer " + es256).build()).statusCode()).isEqualTo(200);
        assertThat(node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Authorization", "Bearer " + confused).build()).statusCode()).isEqualTo(401);
    }
}
