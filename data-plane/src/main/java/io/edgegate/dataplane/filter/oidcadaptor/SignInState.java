package io.edgegate.dataplane.filter.oidcadaptor;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code state} of a sign-in, carried by the provider from the redirect to the callback.
 * Easegress keeps it in the cluster's store; here it carries itself — the nonce, the URL the user
 * asked for and an expiry, signed with a key derived from the client secret — so the callback
 * may reach any node, and a changed or expired state is refused.
 */
final class SignInState {

    /** What a valid state carried. */
    record Contents(String nonce, String originUrl) {
    }

    /** A new sign-in: the state to send the provider and the nonce it holds. */
    record Issued(String state, String nonce) {
    }

    static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

    private final byte[] key;
    private final Clock clock;
    private final SecureRandom random;

    /** {@code random} must be seeded already: it runs on event loops, where reading the system's entropy could block. */
    SignInState(String clientSecret, Clock clock, SecureRandom random) {
        this.key = sha256(("edgegate-oidc-state\n" + clientSecret).getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
        this.random = random;
    }

    /** A new state for a sign-in that started at {@code originUrl}. */
    Issued issue(String originUrl) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String nonceHex = HexFormat.of().formatHex(nonce);
        long expires = clock.millis() / 1000 + LIFETIME.toSeconds();
        String payload = ENCODE.encodeToString((expires + "|" + nonceHex + "|" + originUrl).getBytes(StandardCharsets.UTF_8));
        return new Issued(payload + "." + ENCODE.encodeToString(mac(payload)), nonceHex);
    }

    /** What {@code state} carried, when it is one of ours and has not expired. */
    Optional<Contents> read(String state) {
        int dot = state.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String payload = state.substring(0, dot);
        try {
            if (!MessageDigest.isEqual(mac(payload), DECODE.decode(state.substring(dot + 1)))) {
                return Optional.empty();
            }
            String[] parts = new String(DECODE.decode(payload), StandardCharsets.UTF_8).split("\\|", 3);
            if (parts.length != 3 || Long.parseLong(parts[0]) < clock.millis() / 1000) {
                return Optional.empty();
            }
            return Optional.of(new Contents(parts[1], parts[2]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
