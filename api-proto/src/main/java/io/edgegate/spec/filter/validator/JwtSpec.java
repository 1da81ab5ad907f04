package io.edgegate.spec.filter.validator;

import io.edgegate.spec.codec.SpecObject;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The Validator's {@code jwt}: the token comes from {@code Authorization: Bearer} or the
 * cookie {@code cookieName}; its {@code alg} must be {@code algorithm} (so neither
 * {@code none} nor a key-confusion switch gets through); HS256/384/512 verify with the hex
 * {@code secret}, RS*, ES* and EdDSA (Ed25519) with {@code publicKey}: hex of the PEM text, as
 * Easegress writes it, or PEM, or base64 or hex of the DER.
 */
public record JwtSpec(String algorithm, Optional<String> cookieName, Optional<String> secretHex, Optional<String> publicKey) {

    public static final Set<String> HMAC = Set.of("HS256", "HS384", "HS512");
    public static final Set<String> RSA = Set.of("RS256", "RS384", "RS512");
    public static final Set<String> EC = Set.of("ES256", "ES384", "ES512");
    public static final String EDDSA = "EdDSA";

    /** The JCA key algorithm of a public-key JWS algorithm. */
    public static String keyAlgorithm(String algorithm) {
        return RSA.contains(algorithm) ? "RSA" : EC.contains(algorithm) ? "EC" : "Ed25519";
    }

    static JwtSpec decode(SpecObject o) {
        String algorithm = o.requiredString("algorithm");
        Optional<String> cookie = o.optionalString("cookieName").filter(c -> !c.isEmpty());
        Optional<String> secret = Optional.empty();
        Optional<String> publicKey = Optional.empty();
        if (HMAC.contains(algorithm)) {
            String hex = o.requiredString("secret");
            if (hex.length() % 2 == 1 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                // Go's hex decoding keeps the whole bytes before the odd digit, and Easegress ignores its error.
                o.warning("secret", "has an odd number of hex digits; the last one is ignored, as Easegress ignores it");
                hex = hex.substring(0, hex.length() - 1);
            }
            try {
                byte[] bytes = HexFormat.of().parseHex(hex);
                // Easegress takes any key; RFC 7518 asks for one as long as the hash (32 bytes for HS256).
                int wanted = Integer.parseInt(algorithm.substring(2)) / 8;
                if (bytes.length == 0) {
                    o.error("secret", "is empty: give the key as hex, e.g. 6d7973656372657431323334353637383930");
                } else if (bytes.length < wanted) {
                    o.warning("secret", "is " + bytes.length + " bytes, short enough to be guessed offline from one token; "
                            + "RFC 7518 asks for at least " + wanted + " for " + algorithm);
                }
                secret = Optional.of(hex);
            } catch (IllegalArgumentException e) {
                if (!hex.isEmpty()) {
                    o.error("secret", "must be hex (as Easegress writes it), e.g. 6d7973656372657431323334353637383930");
                }
            }
        } else if (RSA.contains(algorithm) || EC.contains(algorithm) || algorithm.equals(EDDSA)) {
            String key = o.requiredString("publicKey");
            if (!key.isEmpty()) {
                try {
                    publicKey(key, keyAlgorithm(algorithm));
                    publicKey = Optional.of(key);
                } catch (IllegalArgumentException e) {
                    o.error("publicKey", e.getMessage());
                }
            }
        } else if (!algorithm.isEmpty()) {
            o.error("algorithm", "'" + algorithm + "' is not supported (expected HS256, HS384, HS512, RS256, RS384, RS512, "
                    + "ES256, ES384, ES512 or EdDSA)");
        }
        o.finish();
        return new JwtSpec(algorithm, cookie, secret, publicKey);
    }

    /** Reads a public key given as hex of its PEM (Easegress's form), as PEM, or as base64 or hex of its DER (SubjectPublicKeyInfo). */
    public static PublicKey publicKey(String text, String keyAlgorithm) {
        byte[] der;
        String t = text.trim();
        if (t.matches("(?i)2d2d2d2d2d424547494e[0-9a-f]*")) {
            // "-----BEGIN" in hex: Easegress decodes the hex to PEM text.
            t = new String(HexFormat.of().parseHex(t.length() % 2 == 0 ? t : t.substring(0, t.length() - 1)),
                    java.nio.charset.StandardCharsets.US_ASCII).trim();
        }
        if (t.contains("-----BEGIN")) {
            String body = t.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            der = Base64.getDecoder().decode(body);
        } else if (t.matches("[0-9a-fA-F]+")) {
            der = HexFormat.of().parseHex(t);
        } else {
            try {
                der = Base64.getMimeDecoder().decode(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("is not PEM, base64 or hex");
            }
        }
        try {
            return KeyFactory.getInstance(keyAlgorithm).generatePublic(new X509EncodedKeySpec(der));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("is not an " + keyAlgorithm + " public key (" + e.getMessage() + ")");
        }
    }
}
