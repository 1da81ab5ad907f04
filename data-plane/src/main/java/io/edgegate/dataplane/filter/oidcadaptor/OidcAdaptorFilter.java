package io.edgegate.dataplane.filter.oidcadaptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.async.Causes;
import io.edgegate.dataplane.http.QueryParameters;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.dataplane.upstream.SmallCall;
import io.edgegate.spec.filter.oidcadaptor.OidcAdaptorSpec;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * OpenID Connect sign-in in front of a pipeline (see {@link OidcAdaptorSpec}). The identity
 * headers it sets are first removed from every request, so a client cannot send its own.
 */
final class OidcAdaptorFilter implements Filter {

    static final String ACCESS_TOKEN = "X-Access-Token";
    static final String ID_TOKEN = "X-ID-Token";
    static final String USER_INFO = "X-User-Info";
    static final String ORIGIN_URL = "X-Origin-Request-URL";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Set only by this filter: removed from whatever a client sends. */
    private static final List<String> IDENTITY_HEADERS = List.of(ID_TOKEN, USER_INFO, ORIGIN_URL);

    private final OidcAdaptorSpec spec;
    private final SmallCall calls;
    private final ProviderDocuments provider;
    private final SignInState states;
    private final IdTokenCheck idTokens;

    OidcAdaptorFilter(OidcAdaptorSpec spec, SmallCall calls, Clock clock, SecureRandom random) {
        this.spec = spec;
        this.calls = calls;
        this.provider = new ProviderDocuments(spec, calls);
        this.states = new SignInState(spec.clientSecret(), clock, random);
        this.idTokens = new IdTokenCheck(spec.clientId(), spec.clientSecret(), clock);
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        HttpHeaders headers = context.request().headers();
        IDENTITY_HEADERS.forEach(headers::remove);
        if (signedIn(headers)) {
            return CompletableFuture.completedFuture(SUCCESS);
        }
        String uri = context.request().uri();
        if (RequestTarget.matchingPath(RequestTarget.path(uri)).equals(spec.redirectPath())) {
            return callback(context, QueryParameters.of(uri));
        }
        String origin = context.connection().scheme() + "://" + headers.get(HttpHeaderNames.HOST, "") + uri;
        return provider.get(context).handle((found, error) -> {
            if (error != null) {
                return fail(context, HttpResponseStatus.BAD_GATEWAY, "cannot read the OIDC provider's discovery document");
            }
            SignInState.Issued signIn = states.issue(origin);
            String location = found.authorizationEndpoint() + (found.authorizationEndpoint().getRawQuery() == null ? "?" : "&")
                    + "client_id=" + form(spec.clientId()) + "&state=" + form(signIn.state()) + "&nonce=" + signIn.nonce()
                    + "&response_type=code&scope=" + form(found.scope()) + "&redirect_uri=" + form(spec.redirectUri());
            FullHttpResponse redirect = new DefaultFullHttpResponse(context.request().protocolVersion(), HttpResponseStatus.FOUND);
            redirect.headers().set(HttpHeaderNames.LOCATION, location).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            context.respond(redirect);
            return OidcAdaptorSpec.RESULT_FILTERED;
        });
    }

    /** Easegress lets a request with the cookie (any value) or a Bearer token through: the backend judges them. */
    private boolean signedIn(HttpHeaders headers) {
        if (spec.cookieName().isPresent()) {
            for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
                for (Cookie cookie : ServerCookieDecoder.LAX.decode(header)) {
                    if (cookie.name().equals(spec.cookieName().get()) && !cookie.value().isEmpty()) {
                        return true;
                    }
                }
            }
        }
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION, "");
        return authorization.startsWith("Bearer ") && authorization.length() > 7;
    }

    private CompletionStage<String> callback(RequestContext context, Map<String, List<String>> query) {
        String state = first(query, "state");
        String code = first(query, "code");
        if (state.isEmpty()) {
            return done(fail(context, HttpResponseStatus.FORBIDDEN, "oidc callback: empty state"));
        }
        var signIn = states.read(state);
        if (signIn.isEmpty()) {
            return done(fail(context, HttpResponseStatus.FORBIDDEN, "oidc callback: invalid state"));
        }
        if (code.isEmpty()) {
            return done(fail(context, HttpResponseStatus.FORBIDDEN, "oidc callback: invalid code"));
        }
        return provider.get(context).thenCompose(found -> exchange(context, found, code, state).thenCompose(tokens -> {
            String accessToken = tokens.path("access_token").asText("");
            HttpHeaders headers = context.request().headers();
            headers.set(ACCESS_TOKEN, accessToken).set(ORIGIN_URL, signIn.get().originUrl());
            String idToken = tokens.path("id_token").asText("");
            if (!idToken.isEmpty()) {
                var claims = idTokens.claims(idToken, found, signIn.get().nonce());
                if (claims.isEmpty()) {
                    return done(fail(context, HttpResponseStatus.UNAUTHORIZED, "invalid oidc id token"));
                }
                headers.set(ID_TOKEN, idToken).set(USER_INFO, base64(claims.get()));
                return done(SUCCESS);
            }
            if (found.userinfoEndpoint().isEmpty()) {
                return done(fail(context, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "the provider gave no ID token and no userinfoEndpoint is known"));
            }
            return userInfo(context, found, accessToken).handle((user, error) -> {
                if (error != null) {
                    return fail(context, HttpResponseStatus.INTERNAL_SERVER_ERROR, "fetch OAuth2 userinfo error: " + rootMessage(error));
                }
                headers.set(USER_INFO, base64(user));
                return SUCCESS;
            });
        })).exceptionally(error -> Causes.root(error) instanceof CodeRefused refused
                ? fail(context, HttpResponseStatus.UNAUTHORIZED, "oidc callback: " + refused.getMessage())
                : fail(context, HttpResponseStatus.INTERNAL_SERVER_ERROR, "fetch OIDC token error: " + rootMessage(error)));
    }

    /** The code exchanged at the token endpoint, client authenticated both ways Easegress does (form and Basic). */
    private CompletableFuture<JsonNode> exchange(RequestContext context, Provider found, String code, String state) {
        String form = "client_id=" + form(spec.clientId()) + "&client_secret=" + form(spec.clientSecret()) + "&code=" + form(code)
                + "&grant_type=authorization_code&state=" + form(state) + "&redirect_uri=" + form(spec.redirectUri());
        String basic = Base64.getEncoder().encodeToString((spec.clientId() + ":" + spec.clientSecret()).getBytes(StandardCharsets.UTF_8));
        return calls.send(context.eventLoop(), context.alloc(), HttpMethod.POST, found.tokenEndpoint(),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json", "Authorization", "Basic " + basic),
                form.getBytes(StandardCharsets.UTF_8)).thenApply(answer -> {
                    JsonNode tokens = parse(answer.body(), "the token endpoint");
                    if (answer.status() / 100 != 2 || tokens.hasNonNull("error") || tokens.path("access_token").asText("").isEmpty()) {
                        throw new CodeRefused(tokens.path("error").asText("HTTP " + answer.status()));
                    }
                    return tokens;
                });
    }

    /** The token endpoint did not take the code (expired, used, or for another client): the user's sign-in, not our failure. */
    private static final class CodeRefused extends RuntimeException {
        CodeRefused(String reason) {
            super("the token endpoint refused the code (" + reason + ")", null, false, false);
        }
    }

    private CompletableFuture<JsonNode> userInfo(RequestContext context, Provider found, String accessToken) {
        return calls.send(context.eventLoop(), context.alloc(), HttpMethod.GET, found.userinfoEndpoint().orElseThrow(),
                Map.of("Accept", "application/json", "Authorization", "Bearer " + accessToken), null).thenApply(answer -> {
                    if (answer.status() != 200) {
                        throw new IllegalStateException("the userinfo endpoint answered " + answer.status());
                    }
                    return parse(answer.body(), "the userinfo endpoint");
                });
    }

    private static JsonNode parse(byte[] body, String from) {
        try {
            JsonNode json = JSON.readTree(body);
            if (json == null || !json.isObject()) {
                throw new IllegalStateException(from + " did not answer a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw new IllegalStateException(from + " did not answer JSON");
        }
    }

    private static String fail(RequestContext context, HttpResponseStatus status, String message) {
        context.respond(status, message);
        return OidcAdaptorSpec.RESULT_FILTERED;
    }

    private static CompletableFuture<String> done(String result) {
        return CompletableFuture.completedFuture(result);
    }

    private static String base64(JsonNode json) {
        return Base64.getEncoder().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = Causes.root(error);
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
