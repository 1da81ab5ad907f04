package io.edgegate.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.controlplane.store.StoreUnavailableException;
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

    @Test
    void duringAnEtcdOutageASessionOfATokenLastFoundValidStillSeesTheConsoleForTenMinutes() {
        SwitchableTokenStore switchable = new SwitchableTokenStore();
        Tokens outageTokens = new Tokens(switchable, clock, () -> millis.get() * 1_000_000L);
        TokenSessions sessions = new TokenSessions(outageTokens, clock);
        Tokens.Issued viewer = outageTokens.create("viewer-6", Role.VIEWER, Optional.empty());
        Tokens.Issued unseen = outageTokens.create("viewer-7", Role.VIEWER, Optional.empty());
        Tokens.Issued gone = outageTokens.create("viewer-8", Role.VIEWER, Optional.empty());
        String session = sessions.open(viewer.token(), Duration.ofHours(8)).orElseThrow().value();
        String goneSession = sessions.open(gone.token(), Duration.ofHours(8)).orElseThrow().value();
        outageTokens.revoke("viewer-8");
        assertThat(sessions.check(goneSession)).isEmpty();
        switchable.down(true);

        millis.addAndGet(Duration.ofMinutes(9).toMillis());
        assertThat(sessions.check(session)).as("checked 9 minutes ago, etcd away since").contains(new Caller("viewer-6", Role.VIEWER));
        assertThat(sessions.open(viewer.token(), Duration.ofHours(1))).as("a new login with it").isPresent();
        assertThatThrownBy(() -> sessions.open(unseen.token(), Duration.ofHours(1)))
                .as("never checked here: the outage is the answer, not a refusal").isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> sessions.check(goneSession)).as("found revoked").isInstanceOf(StoreUnavailableException.class);
        String[] parts = session.split("\\.");
        assertThat(sessions.check(parts[0] + "." + parts[1] + "." + parts[2].substring(1) + "A")).as("its MAC is still checked").isEmpty();

        millis.addAndGet(Duration.ofMinutes(2).toMillis());
        assertThatThrownBy(() -> sessions.check(session)).as("last found valid 11 minutes ago").isInstanceOf(StoreUnavailableException.class);
        switchable.down(false);
        assertThat(sessions.check(session)).as("etcd is back").isPresent();
    }
}
