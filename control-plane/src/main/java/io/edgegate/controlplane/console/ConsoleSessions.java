package io.edgegate.controlplane.console;

import io.edgegate.controlplane.security.Caller;
import io.edgegate.controlplane.security.Role;
import io.edgegate.controlplane.security.Tokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's logins: a token is exchanged for a random session id (the browser's cookie), so
 * the token never reaches the browser's storage. The token is kept here and checked again on every
 * call, so a revoked or expired token ends its sessions at once. A console of a control plane
 * without tokens ({@code --insecure}) is open to whoever reaches it, as its gRPC port is.
 */
public final class ConsoleSessions {

    static final Duration LIFETIME = Duration.ofHours(8);
    /** Enough for every operator's browsers; a flood of logins cannot grow memory beyond it. */
    static final int MAX_SESSIONS = 1_000;
    private static final Caller ANYONE = new Caller("anonymous (--insecure)", Role.VIEWER);

    private record Session(String token, long expiresAtMillis) {
    }

    /** A login's outcome: the new session id, or why there is none. */
    public sealed interface Login {
        record Started(String sessionId, Caller caller) implements Login {
        }

        record Refused(String reason) implements Login {
        }

        record Full() implements Login {
        }
    }

    private final Optional<Tokens> tokens;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new LinkedHashMap<>();

    /** {@code tokens} empty: no tokens to check (an insecure control plane), everyone may look. */
    public ConsoleSessions(Optional<Tokens> tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    public boolean open() {
        return tokens.isEmpty();
    }

    public synchronized Login login(String token) {
        if (tokens.isEmpty()) {
            return new Login.Refused("this control plane runs without tokens (--insecure): there is nothing to log in to");
        }
        Optional<Caller> caller = tokens.get().authenticate(token.strip());
        if (caller.isEmpty()) {
            return new Login.Refused("the token is not known, has expired or was revoked");
        }
        long now = clock.millis();
        sessions.values().removeIf(s -> s.expiresAtMillis <= now);
        if (sessions.size() >= MAX_SESSIONS) {
            return new Login.Full();
        }
        byte[] id = new byte[32];
        random.nextBytes(id);
        String sessionId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        sessions.put(sessionId, new Session(token.strip(), now + LIFETIME.toMillis()));
        return new Login.Started(sessionId, caller.get());
    }

    /** Who holds this session, if it is known, not expired, and its token still works. */
    public Optional<Caller> caller(Optional<String> sessionId) {
        if (tokens.isEmpty()) {
            return Optional.of(ANYONE);
        }
        if (sessionId.isEmpty()) {
            return Optional.empty();
        }
        Session session;
        synchronized (this) {
            session = sessions.get(sessionId.get());
            if (session != null && session.expiresAtMillis <= clock.millis()) {
                sessions.remove(sessionId.get());
                session = null;
            }
        }
        if (session == null) {
            return Optional.empty();
        }
        Optional<Caller> caller = tokens.get().authenticate(session.token);
        if (caller.isEmpty()) {
            logout(sessionId.get());
        }
        return caller;
    }

    public synchronized void logout(String sessionId) {
        sessions.remove(sessionId);
    }
}
