package io.edgegate.dataplane.filter.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.upstream.UpstreamAddress;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.spec.filter.validator.OAuth2Spec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Checks a Validator's {@code oauth2}: the Bearer token introspected at the authorization server
 * (over the node's upstream connections, never blocking the event loop; bounded by 5 s), or
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
    private final UpstreamClient client;
    private final JwtVerifier jwt;

    OAuth2Check(OAuth2Spec spec, UpstreamClient client, Clock clock) {
        this.spec = spec;
        this.client = client;
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
        URI uri = server.uri();
        UpstreamAddress address = UpstreamAddress.of(uri);
        String form = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        if (!server.clientId().isEmpty()) {
            form += "&client_id=" + URLEncoder.encode(server.clientId(), StandardCharsets.UTF_8)
                    + "&client_secret=" + URLEncoder.encode(server.clientSecret(), StandardCharsets.UTF_8);
        }
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, UpstreamAddress.target(uri));
        post.headers().set(HttpHeaderNames.HOST, uri.getRawAuthority())
                .set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (server.clientId().isEmpty() && !server.basicAuth().isEmpty()) {
            post.headers().set(HttpHeaderNames.AUTHORIZATION, "Basic " + server.basicAuth());
        }
        var sent = client.send(context.eventLoop(), address, post, new FixedBody(Unpooled.wrappedBuffer(body)));
        var timer = context.eventLoop().schedule(() -> sent.completeExceptionally(new java.util.concurrent.TimeoutException()),
                TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return sent.thenCompose(answer -> BodyCollector.collectBytes(answer.body(), context.alloc(), MAX_ANSWER)).thenApply(bytes -> {
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
        }).handle((outcome, error) -> {
            timer.cancel(false);
            return error != null ? Outcome.refused("the token could not be introspected") : outcome;
        });
    }
}
