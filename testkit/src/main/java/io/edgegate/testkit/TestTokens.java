package io.edgegate.testkit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** JSON Web Tokens for tests: HS256-signed ones, and the unsigned {@code alg: none} kind an attacker sends. */
public final class TestTokens {

    private TestTokens() {
    }

    /** base64url without padding of {@code json}, as a token's header and claims are written. */
    public static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A token with {@code claims}, signed with HMAC-SHA256 and {@code secret}. */
    public static String hs256(String claims, byte[] secret) {
        String signed = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return signed + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** A token with {@code claims} that claims {@code alg: none} and carries no signature. */
    public static String unsigned(String claims) {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims) + ".";
    }

    /** Claims naming {@code subject} that expire {@code seconds} from now (in the past when negative). */
    public static String claims(String subject, long seconds) {
        return "{\"sub\":\"" + subject + "\",\"exp\":" + (java.time.Instant.now().getEpochSecond() + seconds) + "}";
    }
}
