package io.edgegate.controlplane.console;

import io.edgegate.controlplane.security.Caller;
import io.edgegate.controlplane.security.Role;
import io.edgegate.controlplane.security.TokenSessions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's logins: a token is exchanged for a session ({@link TokenSessions}: checked by any
 * replica against the token's record, so revoking the token ends it at once), sent back as an
 * HttpOnly cookie, so the token never reaches the browser's storage. A console of a control plane
 * without tokens ({@code --insecure}) is open to whoever reaches it, as its gRPC port is.
 */
public final class ConsoleSessions {

    static final Duration LIFETIME = Duration.ofHours(8);
    /** Sessions logged out here, refused by this replica until they expire; bounded against floods of logouts. */
    static final int MAX_LOGGED_OUT = 10_000;
    private static final Caller ANYONE = new Caller("anonymous (--insecure)", Role.VIEWER);

    /** A login's outcome: the new session, or why there is none. */
    public record Login(Optional<TokenSessions.Session> session, String refusal) {
    }

    private final Optional<TokenSessions> sessions;
    private final Clock clock;
    private final Map<String, Long> loggedOut = new LinkedHashMap<>();

    /** {@code sessions} empty: no tokens to check (an insecure control plane), everyone may look. */
    public ConsoleSessions(Optional<TokenSessions> sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    public boolean open() {
        return sessions.isEmpty();
    }

    public Login login(String token) {
        if (sessions.isEmpty()) {
            return new Login(Optional.empty(), "this control plane runs without tokens (--insecure): there is nothing to log in to");
        }
        Optional<TokenSessions.Session> session = sessions.get().open(token.strip(), LIFETIME);
        return new Login(session, session.isPresent() ? "" : "the token is not known, has expired or was revoked");
    }

    /** Who holds this session, if its token still works, it has not expired and it was not logged out here. */
    public Optional<Caller> caller(Optional<String> session) {
        if (sessions.isEmpty()) {
            return Optional.of(ANYONE);
        }
        if (session.isEmpty() || wasLoggedOut(session.get())) {
            return Optional.empty();
        }
        return sessions.get().check(session.get());
    }

    /** Only a session that is valid is remembered, and only by its hash: junk cookies cannot fill the list. */
    public void logout(String session) {
        if (sessions.isEmpty() || sessions.get().check(session).isEmpty()) {
            return;
        }
        synchronized (this) {
            long now = clock.millis();
            loggedOut.values().removeIf(expires -> expires <= now);
            if (loggedOut.size() < MAX_LOGGED_OUT) {
                loggedOut.put(TokenSessions.fingerprint(session), now + LIFETIME.toMillis());
            }
        }
    }

    private synchronized boolean wasLoggedOut(String session) {
        return !loggedOut.isEmpty() && loggedOut.containsKey(TokenSessions.fingerprint(session));
    }
}
