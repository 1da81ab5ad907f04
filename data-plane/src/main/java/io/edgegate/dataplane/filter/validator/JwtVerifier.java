package io.edgegate.dataplane.filter.validator;

import io.edgegate.spec.filter.validator.JwtSpec;
import java.security.PublicKey;
import java.time.Clock;
import java.util.HashMap;
import io.edgegate.dataplane.token.CompactJws;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Map;

/**
 * Checks a compact JWS (RFC 7515/7519): exactly the configured algorithm (never {@code none},
 * never a switch between HMAC and public-key algorithms), a valid signature, and {@code exp},
 * {@code nbf} and {@code iat} without leeway, as Easegress's golang-jwt checks them.
 */
final class JwtVerifier {

    /** Why a token was refused; {@link #OK} when it passed. */
    enum Verdict { OK, MALFORMED, WRONG_ALGORITHM, BAD_SIGNATURE, EXPIRED, NOT_YET_VALID }

    /** The verdict and, when it passed, the token's top-level text and number claims. */
    record Result(Verdict verdict, Map<String, String> claims) {
    }

    private final String algorithm;
    private final byte[] secret;
    private final PublicKey publicKey;
    private final Clock clock;

    JwtVerifier(JwtSpec spec, Clock clock) {
        this.algorithm = spec.algorithm();
        this.secret = spec.secretHex().map(HexFormat.of()::parseHex).orElse(null);
        this.publicKey = spec.publicKey().map(k -> JwtSpec.publicKey(k, JwtSpec.keyAlgorithm(algorithm))).orElse(null);
        this.clock = clock;
    }

    Result verify(String token) {
        Map<String, String> claims = new HashMap<>();
        Verdict verdict = verify(token, claims);
        return new Result(verdict, verdict == Verdict.OK ? claims : Map.of());
    }

    private Verdict verify(String token, Map<String, String> claimValues) {
        Optional<CompactJws> parsed = CompactJws.parse(token);
        if (parsed.isEmpty()) {
            return Verdict.MALFORMED;
        }
        CompactJws jws = parsed.get();
        if (!algorithm.equals(jws.algorithm())) {
            return Verdict.WRONG_ALGORITHM;
        }
        boolean holds = secret != null ? jws.signedWithSecret(algorithm, secret) : jws.signedWithKey(algorithm, publicKey);
        if (!holds) {
            return Verdict.BAD_SIGNATURE;
        }
        CompactJws.Time time = jws.timeWithoutLeeway(clock.millis() / 1000);
        if (time != CompactJws.Time.VALID) {
            return time == CompactJws.Time.EXPIRED ? Verdict.EXPIRED : Verdict.NOT_YET_VALID;
        }
        jws.claims().fields().forEachRemaining(field -> {
            if (field.getValue().isTextual() || field.getValue().isNumber() || field.getValue().isBoolean()) {
                claimValues.put(field.getKey(), field.getValue().asText());
            }
        });
        return Verdict.OK;
    }
}
