package io.edgegate.dataplane.filter.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.upstream.SmallCall;
import io.edgegate.dataplane.upstream.UpstreamClient;
import java.util.HashMap;
import java.util.Map;
import io.edgegate.spec.filter.validator.OAuth2Spec;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Checks a Validator's {@code oauth2}: the Bearer token introspected at the authorization server
 * (over the node's upstream connections, never blocking the event loop; bounded by 5 s; an https
 * server's certificate checked unless {@code insecureTls}, as Easegress), or
 * verified as an HMAC-signed JWT. What it finds is the token's subject and scope, or why not.
 */
final class OAuth2Check {

    /** A token's subject and scope when it is valid; the reason otherwise. */
    record Outcome(boolean valid, String subject, String scope, String reason) {
        static Outcome refused(String reason) {
            return new Outcome(false, "", "", reason);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 5;
    private static final int MAX_ANSWER = 64 * 1024;

    private final OAuth2Spec spec;
    private final SmallCall calls;
    private final JwtVerifier jwt;

    OAuth2Check(OAuth2Spec spec, UpstreamClient client, Clock clock) {
        this.spec = spec;
        this.calls = new SmallCall(client, java.time.Duration.ofSeconds(TIMEOUT_SECONDS), MAX_ANSWER);
        if (client != null && spec.tokenIntrospect().isPresent()) {
            // Made here, as the config is applied, not on an event loop at the first introspection.
            client.prepareTls();
        }
        this.jwt = spec.jwt().map(j -> new JwtVerifier(j, clock)).orElse(null);
    }

    CompletableFuture<Outcome> check(RequestContext context, String token) {
        if (spec.tokenIntrospect().isEmpty()) {
            JwtVerifier.Result result = jwt.verify(token);
            if (result.verdict() != JwtVerifier.Verdict.OK) {
                return CompletableFuture.completedFuture(Outcome.refused("the token does not verify (" + result.verdict() + ")"));
            }
            return CompletableFuture.completedFuture(new Outcome(true, result.claims().getOrDefault("sub", ""),
                    result.claims().getOrDefault("scope", ""), ""));
        }
        return introspect(context, spec.tokenIntrospect().get(), token);
    }

    private CompletableFuture<Outcome> introspect(RequestContext context, OAuth2Spec.Introspection server, String token) {
        String form = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        if (!server.clientId().isEmpty()) {
            form += "&client_id=" + URLEncoder.encode(server.clientId(), StandardCharsets.UTF_8)
                    + "&client_secret=" + URLEncoder.encode(server.clientSecret(), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        if (server.clientId().isEmpty() && !server.basicAuth().isEmpty()) {
            headers.put("Authorization", "Basic " + server.basicAuth());
        }
        return calls.send(context.eventLoop(), context.alloc(), HttpMethod.POST, server.uri(), headers,
                form.getBytes(StandardCharsets.UTF_8)).thenApply(answer -> {
            byte[] bytes = answer.body();
            try {
                JsonNode info = JSON.readTree(bytes);
                if (info.hasNonNull("error") && !info.get("error").asText().isEmpty()) {
                    return Outcome.refused(info.get("error").asText() + ": " + info.path("error_description").asText(""));
                }
                if (!info.path("active").asBoolean(false)) {
                    return Outcome.refused("oauth2 authorization failed, token is inactive");
                }
                return new Outcome(true, info.path("sub").asText(""), info.path("scope").asText(""), "");
            } catch (java.io.IOException e) {
                return Outcome.refused("the introspection answer is not JSON");
            }
        }).handle((outcome, error) -> error != null ? Outcome.refused("the token could not be introspected") : outcome);
    }
}
