package io.edgegate.dataplane.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A compact JWS (RFC 7515) as a JWT carries it: header, claims, and what the signature covers.
 * The caller decides which algorithm it accepts and with which key; this class only checks.
 */
public record CompactJws(JsonNode header, JsonNode claims, byte[] signingInput, byte[] signature) {

    public static final Set<String> HMAC = Set.of("HS256", "HS384", "HS512");
    public static final Set<String> RSA = Set.of("RS256", "RS384", "RS512");
    public static final Set<String> EC = Set.of("ES256", "ES384", "ES512");

    /** Whether a token's times hold. */
    public enum Time { VALID, EXPIRED, NOT_YET_VALID }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The token's parts, or empty when it is not three base64url parts of a JSON header and JSON claims. */
    public static Optional<CompactJws> parse(String token) {
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        if (first <= 0 || second <= first || token.indexOf('.', second + 1) >= 0) {
            return Optional.empty();
        }
        try {
            Base64.Decoder base64 = Base64.getUrlDecoder();
            JsonNode header = JSON.readTree(base64.decode(token.substring(0, first)));
            JsonNode claims = JSON.readTree(base64.decode(token.substring(first + 1, second)));
            byte[] signature = base64.decode(token.substring(second + 1));
            if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
                return Optional.empty();
            }
            return Optional.of(new CompactJws(header, claims, token.substring(0, second).getBytes(StandardCharsets.US_ASCII), signature));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    public String algorithm() {
        return header.path("alg").asText();
    }

    /** Whether the HMAC of {@code algorithm} (HS256/384/512) under {@code secret} is the signature. */
    public boolean signedWithSecret(String algorithm, byte[] secret) {
        if (!HMAC.contains(algorithm)) {
            return false;
        }
        try {
            String mac = "HmacSHA" + algorithm.substring(2);
            Mac hmac = Mac.getInstance(mac);
            hmac.init(new SecretKeySpec(secret, mac));
            return MessageDigest.isEqual(hmac.doFinal(signingInput), signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code key} verifies the signature under {@code algorithm} (RS* or ES*). */
    public boolean signedWithKey(String algorithm, PublicKey key) {
        String jca;
        if (algorithm.equals("EdDSA")) {
            // RFC 8037: an Ed25519 signature over the signing input, as the JDK verifies it.
            jca = "Ed25519";
        } else if (RSA.contains(algorithm) || EC.contains(algorithm)) {
            String bits = algorithm.substring(2);
            // JWS carries ECDSA signatures as R||S (IEEE P1363), which the JDK reads directly.
            jca = algorithm.startsWith("RS") ? "SHA" + bits + "withRSA" : "SHA" + bits + "withECDSAinP1363Format";
        } else {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(jca);
            verifier.initVerify(key);
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * As golang-jwt's MapClaims.Valid (Easegress's Validator): no leeway, the token is expired from its {@code exp}
     * second on, and neither {@code nbf} nor {@code iat} may be later than now; a time of 0 counts as absent.
     */
    public Time timeWithoutLeeway(long nowSeconds) {
        if (claims.has("exp") && isSet(claims.get("exp")) && (!claims.get("exp").isNumber() || nowSeconds >= claims.get("exp").asLong())) {
            return Time.EXPIRED;
        }
        for (String notAfterNow : new String[] {"nbf", "iat"}) {
            JsonNode value = claims.get(notAfterNow);
            if (value != null && isSet(value) && (!value.isNumber() || nowSeconds < value.asLong())) {
                return Time.NOT_YET_VALID;
            }
        }
        return Time.VALID;
    }

    private static boolean isSet(JsonNode time) {
        return !(time.isNumber() && time.asDouble() == 0);
    }

    /** {@code exp} and {@code nbf} against {@code nowSeconds}, tolerating {@code skewSeconds}. */
    public Time time(long nowSeconds, long skewSeconds) {
        if (claims.has("exp") && (!claims.get("exp").isNumber() || nowSeconds > claims.get("exp").asLong() + skewSeconds)) {
            return Time.EXPIRED;
        }
        if (claims.has("nbf") && (!claims.get("nbf").isNumber() || nowSeconds + skewSeconds < claims.get("nbf").asLong())) {
            return Time.NOT_YET_VALID;
        }
        return Time.VALID;
    }
}
