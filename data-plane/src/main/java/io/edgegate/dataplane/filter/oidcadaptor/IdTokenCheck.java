package io.edgegate.dataplane.filter.oidcadaptor;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgegate.dataplane.token.CompactJws;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Optional;

/**
 * Verifies an ID token from the token endpoint: an HMAC algorithm with the client secret, or RSA
 * or EC with the provider's keys (never {@code none}); not expired; for this client
 * ({@code aud}); from the provider ({@code iss}, when its discovery names one); and for this
 * sign-in ({@code nonce}, when the token has one). Easegress checks the signature and times only.
 */
final class IdTokenCheck {

    private static final long SKEW_SECONDS = 30;

    private final String clientId;
    private final byte[] clientSecret;
    private final Clock clock;

    IdTokenCheck(String clientId, String clientSecret, Clock clock) {
        this.clientId = clientId;
        this.clientSecret = clientSecret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** The token's claims when it holds, else empty. */
    Optional<JsonNode> claims(String idToken, Provider provider, String nonce) {
        Optional<CompactJws> parsed = CompactJws.parse(idToken);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        CompactJws jws = parsed.get();
        String algorithm = jws.algorithm();
        boolean signed;
        if (CompactJws.HMAC.contains(algorithm)) {
            signed = jws.signedWithSecret(algorithm, clientSecret);
        } else if (CompactJws.RSA.contains(algorithm) || CompactJws.EC.contains(algorithm)) {
            String kid = jws.header().path("kid").asText("");
            signed = false;
            for (PublicKey key : provider.keys().candidates(kid, algorithm.startsWith("RS") ? "RSA" : "EC")) {
                signed |= jws.signedWithKey(algorithm, key);
            }
        } else {
            signed = false;
        }
        JsonNode claims = jws.claims();
        if (!signed || jws.time(clock.millis() / 1000, SKEW_SECONDS) != CompactJws.Time.VALID || !forThisClient(claims.get("aud"))) {
            return Optional.empty();
        }
        if (provider.issuer().isPresent() && claims.has("iss") && !provider.issuer().get().equals(claims.get("iss").asText())) {
            return Optional.empty();
        }
        if (claims.has("nonce") && !claims.get("nonce").asText().equals(nonce)) {
            return Optional.empty();
        }
        return Optional.of(claims);
    }

    private boolean forThisClient(JsonNode audience) {
        if (audience == null) {
            return true;
        }
        if (audience.isArray()) {
            for (JsonNode a : audience) {
                if (a.asText().equals(clientId)) {
                    return true;
                }
            }
            return false;
        }
        return audience.asText().equals(clientId);
    }
}
