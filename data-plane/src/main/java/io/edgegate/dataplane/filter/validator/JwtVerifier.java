package io.edgegate.dataplane.filter.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.spec.filter.validator.JwtSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a compact JWS (RFC 7515/7519): exactly the configured algorithm (never {@code none},
 * never a switch between HMAC and public-key algorithms), a valid signature, and {@code exp}
 * and {@code nbf} within a small clock skew.
 */
final class JwtVerifier {

    /** Tolerated difference between our clock and the issuer's. */
    static final long CLOCK_SKEW_SECONDS = 30;

    /** Why a token was refused; {@link #OK} when it passed. */
    enum Verdict { OK, MALFORMED, WRONG_ALGORITHM, BAD_SIGNATURE, EXPIRED, NOT_YET_VALID }

    /** The verdict and, when it passed, the token's top-level text and number claims. */
    record Result(Verdict verdict, Map<String, String> claims) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String algorithm;
    private final byte[] secret;
    private final PublicKey publicKey;
    private final Clock clock;

    JwtVerifier(JwtSpec spec, Clock clock) {
        this.algorithm = spec.algorithm();
        this.secret = spec.secretHex().map(HexFormat.of()::parseHex).orElse(null);
        this.publicKey = spec.publicKey().map(k -> JwtSpec.publicKey(k, JwtSpec.RSA.contains(algorithm) ? "RSA" : "EC")).orElse(null);
        this.clock = clock;
    }

    Result verify(String token) {
        Map<String, String> claims = new HashMap<>();
        Verdict verdict = verify(token, claims);
        return new Result(verdict, verdict == Verdict.OK ? claims : Map.of());
    }

    private Verdict verify(String token, Map<String, String> claimValues) {
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        if (first <= 0 || second <= first || token.indexOf('.', second + 1) >= 0) {
            return Verdict.MALFORMED;
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            Base64.Decoder base64 = Base64.getUrlDecoder();
            header = JSON.readTree(base64.decode(token.substring(0, first)));
            claims = JSON.readTree(base64.decode(token.substring(first + 1, second)));
            signature = base64.decode(token.substring(second + 1));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Verdict.MALFORMED;
        }
        if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
            return Verdict.MALFORMED;
        }
        if (!algorithm.equals(header.path("alg").asText())) {
            return Verdict.WRONG_ALGORITHM;
        }
        byte[] signed = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
        if (!signatureHolds(signed, signature)) {
            return Verdict.BAD_SIGNATURE;
        }
        long now = clock.millis() / 1000;
        if (claims.has("exp") && (!claims.get("exp").isNumber() || now > claims.get("exp").asLong() + CLOCK_SKEW_SECONDS)) {
            return Verdict.EXPIRED;
        }
        if (claims.has("nbf") && (!claims.get("nbf").isNumber() || now + CLOCK_SKEW_SECONDS < claims.get("nbf").asLong())) {
            return Verdict.NOT_YET_VALID;
        }
        claims.fields().forEachRemaining(field -> {
            if (field.getValue().isTextual() || field.getValue().isNumber() || field.getValue().isBoolean()) {
                claimValues.put(field.getKey(), field.getValue().asText());
            }
        });
        return Verdict.OK;
    }

    private boolean signatureHolds(byte[] signed, byte[] signature) {
        String bits = algorithm.substring(2);
        try {
            if (secret != null) {
                Mac mac = Mac.getInstance("HmacSHA" + bits);
                mac.init(new SecretKeySpec(secret, "HmacSHA" + bits));
                return MessageDigest.isEqual(mac.doFinal(signed), signature);
            }
            // JWS carries ECDSA signatures as R||S (IEEE P1363), which the JDK reads directly.
            String jca = algorithm.startsWith("RS") ? "SHA" + bits + "withRSA" : "SHA" + bits + "withECDSAinP1363Format";
            Signature verifier = Signature.getInstance(jca);
            verifier.initVerify(publicKey);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
