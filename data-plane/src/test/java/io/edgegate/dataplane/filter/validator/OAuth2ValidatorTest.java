package io.edgegate.dataplane.filter.validator;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Validator oauth2 against an in-test authorization server (RFC 7662 introspection) and with HMAC JWTs. */
class OAuth2ValidatorTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private HttpServer identity;
    private final List<Map<String, String>> forms = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startIdentityProvider() throws Exception {
        identity = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        identity.createContext("/introspect", exchange -> {
            Map<String, String> form = new HashMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            forms.add(form);
            String answer;
            if (!"edgegate".equals(form.get("client_id")) || !"gateway-secret".equals(form.get("client_secret"))) {
                answer = "{\"error\": \"invalid_client\", \"error_description\": \"bad credentials\"}";
            } else if ("good-token".equals(form.get("token"))) {
                answer = "{\"active\": true, \"sub\": \"ada\", \"scope\": \"orders:read\", \"client_id\": \"app\"}";
            } else {
                answer = "{\"active\": false}";
            }
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        identity.start();
    }

    @AfterEach
    void stop() {
        identity.stop(0);
    }

    private static HttpResponse<String> get(int port, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return node.send(request.build());
    }

    @Test
    void anActiveTokenPassesWithItsSubjectAndOthersAre401() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "oauth2-api"), example("filters/validator-oauth2.yaml", app.url())
                    .replace("http://127.0.0.1:9096/introspect", "http://127.0.0.1:" + identity.getAddress().getPort() + "/introspect"));

            HttpResponse<String> good = get(port, "good-token");
            HttpResponse<String> revoked = get(port, "revoked-token");
            HttpResponse<String> none = get(port, null);

            assertThat(good.statusCode()).isEqualTo(200);
            assertThat(app.received().get(0).header("X-Authenticated-Userid")).isEqualTo("ada");
            assertThat(app.received().get(0).header("X-Authenticated-Scope")).isEqualTo("orders:read");
            assertThat(forms.get(0)).containsEntry("token", "good-token").containsEntry("client_id", "edgegate");
            assertThat(revoked.statusCode()).isEqualTo(401);
            assertThat(revoked.body()).contains("token is inactive");
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(app.received()).hasSize(1);
        }
    }

    @Test
    void anUnreachableIdentityProviderRefusesAndAJwtIsCheckedWithItsHexSecret() throws Exception {
        int port = FreePorts.pick();
        String secretHex = "6d7973656372657431323334353637383930";
        try (EchoBackend app = EchoBackend.start("app")) {
            int closed = FreePorts.pick();
            node.apply(server("s", port, "oauth2-api"), example("filters/validator-oauth2.yaml", app.url())
                    .replace("http://127.0.0.1:9096/introspect", "http://127.0.0.1:" + closed + "/introspect"));
            HttpResponse<String> unreachable = get(port, "good-token");

            node.apply(server("s", port, "oauth2-api"), example("filters/validator-oauth2.yaml", app.url())
                    .replaceAll("(?s)      tokenIntrospect:.*?gateway-secret\n",
                            "      jwt:\n        algorithm: HS256\n        secret: " + secretHex + "\n"));
            HttpResponse<String> signed = get(port, jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"grace\",\"scope\":\"all\"}", secretHex));
            HttpResponse<String> forged = get(port, jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"mallory\"}", "00ff"));

            assertThat(unreachable.statusCode()).isEqualTo(401);
            assertThat(signed.statusCode()).isEqualTo(200);
            assertThat(app.received().get(0).header("X-Authenticated-Userid")).isEqualTo("grace");
            assertThat(forged.statusCode()).isEqualTo(401);
        }
    }

    /**
     * As Easegress (Go's default client): an https introspection endpoint must show a certificate the node trusts,
     * or the token is refused; insecureTls skips the check. A server able to answer "active" for any token decides
     * who gets in, so an unverified one must not be asked.
     */
    @Test
    void anIntrospectionServerWhoseCertificateIsNotTrustedIsNotBelieved() throws Exception {
        int port = FreePorts.pick();
        io.edgegate.testkit.TestPki pki = io.edgegate.testkit.TestPki.create("impostor-ca");
        try (EchoBackend app = EchoBackend.start("app"); EchoBackend impostor = EchoBackend.startTls("impostor", pki.server("localhost"))) {
            impostor.answerJson("{\"active\": true, \"sub\": \"mallory\", \"scope\": \"all\"}");
            String endPoint = "https://localhost:" + impostor.port() + "/introspect";
            String pipeline = example("filters/validator-oauth2.yaml", app.url()).replace("http://127.0.0.1:9096/introspect", endPoint);
            node.apply(server("s", port, "oauth2-api"), pipeline);
            HttpResponse<String> verified = get(port, "any-token");

            node.apply(server("s", port, "oauth2-api"), pipeline.replace("clientSecret: gateway-secret",
                    "clientSecret: gateway-secret\n        insecureTls: true"));
            HttpResponse<String> insecure = get(port, "any-token");

            assertThat(verified.statusCode()).isEqualTo(401);
            assertThat(insecure.statusCode()).isEqualTo(200);
            assertThat(app.received()).hasSize(1);
            assertThat(app.received().get(0).header("X-Authenticated-Userid")).isEqualTo("mallory");
        }
    }

    private static String jwt(String header, String payload, String secretHex) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(java.util.HexFormat.of().parseHex(secretHex), "HmacSHA256"));
        return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }
}
