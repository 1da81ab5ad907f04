package io.edgegate.controlplane.security;

import io.edgegate.controlplane.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sessions for a browser that logged in with a token: {@code <name>.<expires>.<mac>}, the MAC keyed
 * by the token's stored hash. Any replica can check one against the token's record (no session is
 * kept anywhere, so a load balancer may send each call to another replica, and a restart logs no
 * one out), a session names no secret, and a revoked or expired token ends its sessions at once.
 */
public final class TokenSessions {

    /** A new session's value and who it stands for. */
    public record Session(String value, Caller caller, long expiresAtMillis) {
    }

    private static final String PURPOSE = "edgegate console session\n";

    private final Tokens tokens;
    private final Clock clock;

    public TokenSessions(Tokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A session for the holder of {@code token}, ending after {@code lifetime} or with the token, whichever is first. */
    public Optional<Session> open(String token, Duration lifetime) {
        Optional<Caller> caller;
        try {
            caller = tokens.authenticate(token);
        } catch (StoreUnavailableException e) {
            caller = orUnavailable(tokens.lastKnown(token), e);
        }
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        Optional<TokenRecord> record = recordOf(caller.get().name());
        if (record.isEmpty()) {
            return Optional.empty();
        }
        long expires = clock.millis() + lifetime.toMillis();
        if (record.get().expiresAtMillis() != 0) {
            expires = Math.min(expires, record.get().expiresAtMillis());
        }
        long expiresSeconds = expires / 1000;
        String value = caller.get().name() + "." + expiresSeconds + "." + mac(record.get(), expiresSeconds);
        return Optional.of(new Session(value, caller.get(), expiresSeconds * 1000));
    }

    /** Who a session stands for, if its MAC matches its token's record and neither has expired. */
    public Optional<Caller> check(String session) {
        String[] parts = session.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        long expiresSeconds;
        try {
            expiresSeconds = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        long now = clock.millis();
        if (expiresSeconds * 1000 <= now) {
            return Optional.empty();
        }
        Optional<TokenRecord> record = recordOf(parts[0]);
        if (record.isEmpty() || record.get().expiredAt(now)) {
            return Optional.empty();
        }
        byte[] expected = mac(record.get(), expiresSeconds).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(new Caller(record.get().name(), record.get().role()));
    }

    /**
     * A token's record; while etcd cannot be reached, as it was last found valid (up to
     * {@link Tokens#OUTAGE_LIMIT} ago): the console only shows the cluster's state, which an operator
     * needs most during an outage, as egctl's reads do then.
     */
    private Optional<TokenRecord> recordOf(String name) {
        try {
            return tokens.record(name);
        } catch (StoreUnavailableException e) {
            return orUnavailable(tokens.lastKnownRecord(name), e);
        }
    }

    /** What was last known, or the outage itself when nothing was: "cannot check" is not "refused". */
    private static <T> Optional<T> orUnavailable(Optional<T> lastKnown, StoreUnavailableException outage) {
        if (lastKnown.isEmpty()) {
            throw outage;
        }
        return lastKnown;
    }

    /** A fixed-length stand-in for a session, to remember it by (e.g. as logged out) without keeping it. */
    public static String fingerprint(String session) {
        return Tokens.sha256(session);
    }

    private static String mac(TokenRecord record, long expiresSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(record.secretSha256().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            byte[] sum = mac.doFinal((PURPOSE + record.name() + "\n" + expiresSeconds).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sum);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
