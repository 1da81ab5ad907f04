package io.edgegate.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Console sessions: any replica can check one, it names no secret, and it ends with its token or its lifetime. */
class TokenSessionsTest {

    private final AtomicLong millis = new AtomicLong(1_800_000_000_000L);
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    };
    private final MemoryTokenStore store = new MemoryTokenStore();
    // Lookups are remembered for a moment: the nano clock moves with the wall clock here, so a revocation is seen at once.
    private final Tokens tokens = new Tokens(store, clock, () -> millis.get() * 10_000_000L);

    @Test
    void aSessionIsCheckedByAnyReplicaAndNamesNoSecret() {
        Tokens.Issued viewer = tokens.create("viewer-1", Role.VIEWER, Optional.empty());
        TokenSessions.Session session = new TokenSessions(tokens, clock).open(viewer.token(), Duration.ofHours(8)).orElseThrow();
        assertThat(session.caller()).isEqualTo(new Caller("viewer-1", Role.VIEWER));
        assertThat(session.value()).startsWith("viewer-1.").doesNotContain(viewer.token().substring(viewer.token().lastIndexOf('.') + 1));

        TokenSessions anotherReplica = new TokenSessions(new Tokens(store, clock), clock);
        assertThat(anotherReplica.check(session.value())).contains(new Caller("viewer-1", Role.VIEWER));
    }

    @Test
    void aForgedOrAlteredSessionIsRefused() {
        Tokens.Issued viewer = tokens.create("viewer-2", Role.VIEWER, Optional.empty());
        tokens.create("admin-2", Role.ADMIN, Optional.empty());
        TokenSessions sessions = new TokenSessions(tokens, clock);
        String value = sessions.open(viewer.token(), Duration.ofHours(1)).orElseThrow().value();
        String[] parts = value.split("\\.");

        assertThat(sessions.check("admin-2." + parts[1] + "." + parts[2])).as("another token's name").isEmpty();
        assertThat(sessions.check(parts[0] + "." + (Long.parseLong(parts[1]) + 86_400) + "." + parts[2])).as("a later expiry").isEmpty();
        assertThat(sessions.check(parts[0] + "." + parts[1] + "." + parts[2].substring(1) + "A")).as("another MAC").isEmpty();
        for (String garbage : new String[] {"", "a.b", "viewer-2.x.y", "Viewer-2." + parts[1] + "." + parts[2], value + ".x"}) {
            assertThat(sessions.check(garbage)).as(garbage).isEmpty();
        }
        assertThat(sessions.open("egt_viewer-2.wrong-secret-wrong-secret-00", Duration.ofHours(1))).isEmpty();
    }

    @Test
    void aSessionEndsWithItsLifetimeItsTokensExpiryOrItsTokensRevocation() {
        TokenSessions sessions = new TokenSessions(tokens, clock);
        Tokens.Issued viewer = tokens.create("viewer-3", Role.VIEWER, Optional.empty());
        String value = sessions.open(viewer.token(), Duration.ofHours(1)).orElseThrow().value();
        millis.addAndGet(Duration.ofMinutes(59).toMillis());
        assertThat(sessions.check(value)).isPresent();
        millis.addAndGet(Duration.ofMinutes(2).toMillis());
        assertThat(sessions.check(value)).as("past its lifetime").isEmpty();

        Tokens.Issued shortLived = tokens.create("viewer-4", Role.VIEWER, Optional.of(Duration.ofMinutes(10)));
        TokenSessions.Session capped = sessions.open(shortLived.token(), Duration.ofHours(8)).orElseThrow();
        assertThat(capped.expiresAtMillis()).isLessThanOrEqualTo(millis.get() + Duration.ofMinutes(10).toMillis());
        millis.addAndGet(Duration.ofMinutes(11).toMillis());
        assertThat(sessions.check(capped.value())).as("its token expired").isEmpty();

        Tokens.Issued revoked = tokens.create("viewer-5", Role.VIEWER, Optional.empty());
        String live = sessions.open(revoked.token(), Duration.ofHours(1)).orElseThrow().value();
        assertThat(sessions.check(live)).isPresent();
        tokens.revoke("viewer-5");
        assertThat(sessions.check(live)).as("its token was revoked").isEmpty();
    }
}
