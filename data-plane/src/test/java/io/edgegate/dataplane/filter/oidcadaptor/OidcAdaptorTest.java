package io.edgegate.dataplane.filter.oidcadaptor;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.http.QueryParameters;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OIDCAdaptor example against an OpenID provider in the test: the whole sign-in, and each way it is refused. */
class OidcAdaptorTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private final ObjectMapper json = new ObjectMapper();
    private TestIdentityProvider idp;
    private EchoBackend app;
    private int port;

    @BeforeEach
    void start() throws Exception {
        idp = new TestIdentityProvider();
        app = EchoBackend.start("app");
        port = FreePorts.pick();
    }

    @AfterEach
    void stop() {
        app.close();
        idp.close();
    }

    private void applyExample() throws Exception {
        node.apply(server("web", port, "oidc-pipeline"), example("filters/oidc-adaptor.yaml", app.url(), idp.base()));
    }

    private HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return node.send(request.build());
    }

    /** Starts a sign-in at {@code path}: the redirect's query parameters. */
    private Map<String, List<String>> redirectFor(String path) {
        HttpResponse<String> redirect = get(path);
        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(idp.base() + "/authorize?");
        return QueryParameters.of(location.substring(idp.base().length() + "/authorize".length()));
    }

    private static String one(Map<String, List<String>> query, String name) {
        return query.get(name).get(0);
    }

    @Test
    void aSignInEndsAtTheBackendWithTheVerifiedIdentity() throws Exception {
        applyExample();
        Map<String, List<String>> authorize = redirectFor("/app/orders?x=1");
        assertThat(one(authorize, "client_id")).isEqualTo("edgegate");
        assertThat(one(authorize, "response_type")).isEqualTo("code");
        assertThat(one(authorize, "scope")).isEqualTo("openid profile email");
        assertThat(one(authorize, "redirect_uri")).isEqualTo("/oidc/callback");
        assertThat(app.received()).isEmpty();

        idp.willIssue("c1", idp.claims("edgegate", one(authorize, "nonce")));
        HttpResponse<String> back = get("/oidc/callback?code=c1&state=" + URLEncoder.encode(one(authorize, "state"), StandardCharsets.UTF_8),
                "X-User-Info", "forged");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);

        EchoBackend.ReceivedRequest received = app.received().get(0);
        JsonNode user = json.readTree(Base64.getDecoder().decode(received.header("X-User-Info")));
        assertThat(user.get("sub").asText()).isEqualTo("user-7");
        assertThat(user.get("email").asText()).isEqualTo("ann@example.com");
        assertThat(received.header("X-ID-Token")).contains(".");
        assertThat(received.header("X-Access-Token")).isEqualTo("at-c1");
        assertThat(received.header("X-Origin-Request-URL")).isEqualTo("http://127.0.0.1:" + port + "/app/orders?x=1");

        TestIdentityProvider.TokenRequest exchanged = idp.tokenRequests.get(0);
        assertThat(exchanged.form()).contains("grant_type=authorization_code", "code=c1", "client_id=edgegate",
                "redirect_uri=%2Foidc%2Fcallback");
        assertThat(exchanged.authorization()).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("edgegate:change-me-client-secret".getBytes(StandardCharsets.UTF_8)));

        // Signed in: the cookie lets requests through, and what a client says of itself never reaches the backend.
        assertThat(get("/app/next", "Cookie", "oidc-auth-cookie=s1", "X-User-Info", "forged", "X-ID-Token", "forged").statusCode())
                .isEqualTo(200);
        assertThat(app.received().get(1).header("X-User-Info")).isNull();
        assertThat(app.received().get(1).header("X-ID-Token")).isNull();
        assertThat(get("/app/api", "Authorization", "Bearer abc").statusCode()).isEqualTo(200);
    }

    @Test
    void aForgedStateOrIdTokenEndsTheSignIn() throws Exception {
        applyExample();
        Map<String, List<String>> authorize = redirectFor("/app");
        String state = one(authorize, "state");
        String nonce = one(authorize, "nonce");

        assertThat(get("/oidc/callback?code=c1").statusCode()).isEqualTo(403);
        String tampered = state.substring(0, state.length() - 2) + (state.endsWith("A") ? "BB" : "AA");
        HttpResponse<String> forgedState = get("/oidc/callback?code=c1&state=" + URLEncoder.encode(tampered, StandardCharsets.UTF_8));
        assertThat(forgedState.statusCode()).isEqualTo(403);
        assertThat(forgedState.body()).contains("oidc callback: invalid state");
        assertThat(get("/oidc/callback?state=" + URLEncoder.encode(state, StandardCharsets.UTF_8)).statusCode()).isEqualTo(403);

        String encoded = URLEncoder.encode(state, StandardCharsets.UTF_8);
        idp.willIssue("other-nonce", idp.claims("edgegate", "not-" + nonce));
        assertThat(get("/oidc/callback?code=other-nonce&state=" + encoded).statusCode()).isEqualTo(401);
        idp.willIssue("other-client", idp.claims("someone-else", nonce));
        assertThat(get("/oidc/callback?code=other-client&state=" + encoded).statusCode()).isEqualTo(401);
        idp.willIssue("expired", idp.claims("edgegate", nonce).put("exp", System.currentTimeMillis() / 1000 - 3600));
        assertThat(get("/oidc/callback?code=expired&state=" + encoded).statusCode()).isEqualTo(401);
        HttpResponse<String> used = get("/oidc/callback?code=used-1&state=" + encoded);
        assertThat(used.statusCode()).isEqualTo(401);
        assertThat(used.body()).contains("the token endpoint refused the code (invalid_grant)");
        assertThat(app.received()).isEmpty();

        // A token signed by another key (same kid) does not verify either.
        var stranger = KeyPairGenerator.getInstance("RSA");
        stranger.initialize(2048);
        String forged = TestIdentityProvider.sign(idp.claims("edgegate", nonce), stranger.generateKeyPair(), "k1");
        assertThat(new IdTokenCheck("edgegate", "change-me-client-secret", java.time.Clock.systemUTC())
                .claims(forged, new Provider(URI.create(idp.base()), URI.create(idp.base()), java.util.Optional.empty(), "openid",
                        java.util.Optional.empty(), JsonWebKeys.of(json.readTree(new URI(idp.base() + "/jwks").toURL().openStream()))), nonce))
                .isEmpty();
    }

    @Test
    void withoutDiscoveryTheUserIsReadAtTheUserinfoEndpoint() throws Exception {
        idp.issueIdTokens = false;
        node.apply(server("web", port, "oidc-pipeline"), example("filters/oidc-adaptor.yaml", app.url(), idp.base())
                .replace("discovery: " + idp.base() + "/.well-known/openid-configuration",
                        "authorizationEndpoint: " + idp.base() + "/authorize\n  tokenEndpoint: " + idp.base() + "/token\n"
                                + "  userinfoEndpoint: " + idp.base() + "/userinfo"));
        Map<String, List<String>> authorize = redirectFor("/app");
        assertThat(one(authorize, "scope")).as("Easegress's default without discovery").isEqualTo("user");
        HttpResponse<String> back = get("/oidc/callback?code=g1&state=" + URLEncoder.encode(one(authorize, "state"), StandardCharsets.UTF_8));
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        JsonNode user = json.readTree(Base64.getDecoder().decode(app.received().get(0).header("X-User-Info")));
        assertThat(user.get("login").asText()).isEqualTo("octo");
        assertThat(idp.userinfoAuthorizations).containsExactly("Bearer at-g1");
    }

    @Test
    void anUnreachableProviderIsABadGatewayNotAHang() throws Exception {
        int gone = FreePorts.pick();
        node.apply(server("web", port, "oidc-pipeline"), example("filters/oidc-adaptor.yaml", app.url(), "http://127.0.0.1:" + gone));
        assertThat(get("/app").statusCode()).isEqualTo(502);
        // Tried again on the next sign-in, not remembered: once the provider is there, sign-ins start.
        node.apply(server("web", port, "oidc-pipeline"), example("filters/oidc-adaptor.yaml", app.url(), idp.base()));
        assertThat(get("/app").statusCode()).isEqualTo(302);
    }
}
