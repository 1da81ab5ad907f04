package io.edgegate.dataplane.filter.oidcadaptor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenID provider in the test's JVM: discovery, JWKS (one RSA key), a token endpoint that
 * answers RS256 ID tokens for the codes the test registers, and userinfo. It records what the
 * token endpoint was sent.
 */
final class TestIdentityProvider implements AutoCloseable {

    /** What the token endpoint received: the form and the Authorization header. */
    record TokenRequest(String form, String authorization) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final KeyPair key;
    private final Map<String, ObjectNode> claimsByCode = new ConcurrentHashMap<>();
    final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
    final List<String> userinfoAuthorizations = new CopyOnWriteArrayList<>();
    volatile boolean issueIdTokens = true;

    TestIdentityProvider() throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        key = generator.generateKeyPair();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/openid-configuration", e -> json(e, discovery()));
        server.createContext("/jwks", e -> json(e, jwks()));
        server.createContext("/token", this::token);
        server.createContext("/userinfo", e -> {
            userinfoAuthorizations.add(e.getRequestHeaders().getFirst("Authorization"));
            json(e, JSON.createObjectNode().put("login", "octo").put("id", 42));
        });
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The provider will answer {@code code} with an ID token of these claims. */
    void willIssue(String code, ObjectNode claims) {
        claimsByCode.put(code, claims);
    }

    /** Standard claims for {@code clientId}, valid for an hour, with {@code nonce}. */
    ObjectNode claims(String clientId, String nonce) {
        long now = System.currentTimeMillis() / 1000;
        return JSON.createObjectNode().put("iss", base()).put("sub", "user-7").put("aud", clientId).put("exp", now + 3600)
                .put("iat", now).put("nonce", nonce).put("email", "ann@example.com");
    }

    /** A compact RS256 JWT of {@code claims} signed with {@code pair}'s private key. */
    static String sign(ObjectNode claims, KeyPair pair, String kid) throws GeneralSecurityException {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(pair.getPrivate());
        signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + b64.encodeToString(signer.sign());
    }

    KeyPair key() {
        return key;
    }

    private ObjectNode discovery() {
        ObjectNode d = JSON.createObjectNode().put("issuer", base()).put("authorization_endpoint", base() + "/authorize")
                .put("token_endpoint", base() + "/token").put("userinfo_endpoint", base() + "/userinfo").put("jwks_uri", base() + "/jwks");
        d.putArray("scopes_supported").add("openid").add("profile").add("email");
        return d;
    }

    private ObjectNode jwks() {
        RSAPublicKey publicKey = (RSAPublicKey) key.getPublic();
        ObjectNode jwks = JSON.createObjectNode();
        jwks.putArray("keys").addObject().put("kty", "RSA").put("kid", "k1").put("use", "sig").put("alg", "RS256")
                .put("n", unsigned(publicKey.getModulus())).put("e", unsigned(publicKey.getPublicExponent()));
        return jwks;
    }

    private void token(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        tokenRequests.add(new TokenRequest(form, exchange.getRequestHeaders().getFirst("Authorization")));
        String code = form.replaceAll(".*(?:^|&)code=([^&]*).*", "$1");
        if (code.startsWith("used")) {
            // As a provider answers a code it already exchanged (RFC 6749 5.2).
            byte[] refusal = "{\"error\":\"invalid_grant\"}".getBytes(StandardCharsets.UTF_8);
            try (exchange) {
                exchange.sendResponseHeaders(400, refusal.length);
                exchange.getResponseBody().write(refusal);
            }
            return;
        }
        ObjectNode answer = JSON.createObjectNode().put("access_token", "at-" + code).put("token_type", "Bearer");
        ObjectNode claims = claimsByCode.get(code);
        if (issueIdTokens && claims != null) {
            try {
                answer.put("id_token", sign(claims, key, "k1"));
            } catch (GeneralSecurityException e) {
                throw new IOException(e);
            }
        }
        json(exchange, answer);
    }

    private static void json(HttpExchange exchange, ObjectNode body) throws IOException {
        try (exchange) {
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
