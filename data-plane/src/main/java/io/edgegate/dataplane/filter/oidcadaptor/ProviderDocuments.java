package io.edgegate.dataplane.filter.oidcadaptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.upstream.SmallCall;
import io.edgegate.spec.filter.oidcadaptor.OidcAdaptorSpec;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The provider as the spec gives it, completed from its discovery document and JWKS when there
 * is {@code discovery}. Both are fetched on the first sign-in that needs them (from an event
 * loop, without blocking it) and kept for the filter's life; a failed fetch is tried again by
 * the next sign-in rather than remembered.
 */
final class ProviderDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OidcAdaptorSpec spec;
    private final SmallCall calls;
    private final AtomicReference<CompletableFuture<Provider>> provider = new AtomicReference<>();

    ProviderDocuments(OidcAdaptorSpec spec, SmallCall calls) {
        this.spec = spec;
        this.calls = calls;
        if (spec.discovery().isEmpty()) {
            // Easegress's default scope without discovery, for OAuth2 providers such as GitHub.
            provider.set(CompletableFuture.completedFuture(new Provider(spec.authorizationEndpoint().orElseThrow(),
                    spec.tokenEndpoint().orElseThrow(), spec.userinfoEndpoint(), "user", Optional.empty(), JsonWebKeys.NONE)));
        }
    }

    CompletableFuture<Provider> get(RequestContext context) {
        CompletableFuture<Provider> known = provider.get();
        if (known != null && !known.isCompletedExceptionally()) {
            return known;
        }
        CompletableFuture<Provider> fetching = new CompletableFuture<>();
        if (!provider.compareAndSet(known, fetching)) {
            return provider.get();
        }
        discover(context).whenComplete((found, error) -> {
            if (error != null) {
                fetching.completeExceptionally(error);
            } else {
                fetching.complete(found);
            }
        });
        return fetching;
    }

    private CompletableFuture<Provider> discover(RequestContext context) {
        URI discovery = spec.discovery().orElseThrow();
        return json(context, discovery).thenCompose(document -> {
            URI authorization = spec.authorizationEndpoint().orElseGet(() -> uri(document, "authorization_endpoint"));
            URI token = spec.tokenEndpoint().orElseGet(() -> uri(document, "token_endpoint"));
            Optional<URI> userinfo = spec.userinfoEndpoint().or(() -> Optional.ofNullable(document.get("userinfo_endpoint"))
                    .map(n -> URI.create(n.asText())));
            List<String> scopes = new ArrayList<>();
            document.path("scopes_supported").forEach(s -> scopes.add(s.asText()));
            String scope = scopes.isEmpty() ? "openid" : String.join(" ", scopes);
            Optional<String> issuer = Optional.ofNullable(document.get("issuer")).map(JsonNode::asText);
            if (!document.hasNonNull("jwks_uri")) {
                return CompletableFuture.completedFuture(new Provider(authorization, token, userinfo, scope, issuer, JsonWebKeys.NONE));
            }
            return json(context, uri(document, "jwks_uri")).thenApply(jwks ->
                    new Provider(authorization, token, userinfo, scope, issuer, JsonWebKeys.of(jwks)));
        });
    }

    private CompletableFuture<JsonNode> json(RequestContext context, URI uri) {
        return calls.send(context.eventLoop(), context.alloc(), HttpMethod.GET, uri, Map.of("Accept", "application/json"), null)
                .thenApply(answer -> {
                    if (answer.status() != 200) {
                        throw new IllegalStateException(uri + " answered " + answer.status());
                    }
                    try {
                        return JSON.readTree(answer.body());
                    } catch (IOException e) {
                        throw new IllegalStateException(uri + " did not answer JSON");
                    }
                });
    }

    private static URI uri(JsonNode document, String field) {
        if (!document.hasNonNull(field)) {
            throw new IllegalStateException("the discovery document has no " + field);
        }
        return URI.create(document.get(field).asText());
    }
}
