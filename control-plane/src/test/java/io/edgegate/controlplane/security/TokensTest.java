package io.edgegate.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.controlplane.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens: the first admin token and how it comes back, expiry, and what stands while the store is away. */
class TokensTest {

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong();
    private final SwitchableTokenStore store = new SwitchableTokenStore();
    private final MemoryTokenStore memory = store.memory();
    private final AtomicLong millis = new AtomicLong(1_800_000_000_000L);
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis.get());
        }
    };
    private final Tokens tokens = new Tokens(store, clock, nanos::get);

    @Test
    void theFirstAdminTokenIsWrittenOnceAndAgainWhenNoAdminTokenWorks() throws Exception {
        Path file = dir.resolve("state/admin.token");
        tokens.bootstrap(file);
        String first = Files.readString(file).strip();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(tokens.authenticate(first)).hasValue(new Caller("bootstrap-admin", Role.ADMIN));
        assertThat(dir.resolve("state")).isDirectoryNotContaining("glob:**/*pending*");

        tokens.bootstrap(file);
        assertThat(Files.readString(file).strip()).as("an admin token works: nothing new").isEqualTo(first);

        // Only a viewer left, under the bootstrap name even: a new admin token under another name.
        tokens.revoke("bootstrap-admin");
        tokens.create("bootstrap-admin", Role.VIEWER, Optional.empty());
        tokens.create("old-admin", Role.ADMIN, Optional.of(Duration.ofHours(1)));
        tokens.bootstrap(file);
        assertThat(Files.readString(file).strip()).as("old-admin still works").isEqualTo(first);
        millis.addAndGet(Duration.ofHours(2).toMillis());
        tokens.bootstrap(file);
        String second = Files.readString(file).strip();
        assertThat(second).isNotEqualTo(first).startsWith("egt_bootstrap-admin-");
        assertThat(tokens.authenticate(second).map(Caller::role)).hasValue(Role.ADMIN);
    }

    @Test
    void anAdminTokenMadeBeforehandBecomesTheAdminTokenOnlyWhileNoAdminTokenWorks() throws Exception {
        String preset = "egt_k8s-admin.Q2hhbmdlIG1lIGJlZm9yZSB1c2luZyBpdA";
        tokens.adopt(preset);
        assertThat(tokens.authenticate(preset)).map(Caller::role).contains(Role.ADMIN);
        assertThat(tokens.authenticate("egt_k8s-admin.somethingElseOfTheSameLength00")).isEmpty();
        assertThat(Files.list(dir)).as("nothing is written").isEmpty();

        // Another admin token works: a second replica adopting the same (or another) token stores nothing.
        tokens.adopt("egt_other-admin.Q2hhbmdlIG1lIGJlZm9yZSB1c2luZyBpdA");
        assertThat(tokens.list()).extracting(TokenRecord::name).containsExactly("k8s-admin");

        // Every admin token revoked: the one made beforehand comes back (a restore of an empty store does the same).
        tokens.revoke("k8s-admin");
        tokens.adopt(preset);
        assertThat(tokens.authenticate(preset)).map(Caller::role).contains(Role.ADMIN);
    }

    @Test
    void tokensExpiredLongerThanTheyAreKeptAreDeletedOthersStay() {
        tokens.create("forever", Role.VIEWER, Optional.empty());
        tokens.create("ci-run-1", Role.OPERATOR, Optional.of(Duration.ofMinutes(10)));
        millis.addAndGet(Duration.ofHours(20).toMillis());
        tokens.create("ci-run-2", Role.OPERATOR, Optional.of(Duration.ofMinutes(10)));
        millis.addAndGet(Duration.ofHours(5).toMillis());
        Tokens.Issued live = tokens.create("ci-run-3", Role.OPERATOR, Optional.of(Duration.ofHours(1)));

        assertThat(tokens.removeExpired(Duration.ofHours(24))).containsExactly("ci-run-1");
        assertThat(tokens.list()).extracting(TokenRecord::name).containsExactlyInAnyOrder("forever", "ci-run-2", "ci-run-3");
        assertThat(tokens.authenticate(live.token())).isPresent();
        assertThat(tokens.removeExpired(Duration.ofHours(24))).as("nothing more to remove").isEmpty();
        // The name is free again.
        tokens.create("ci-run-1", Role.OPERATOR, Optional.of(Duration.ofMinutes(10)));
    }

    @Test
    void anAdminTokenMadeBeforehandThatIsNoTokenIsRefused() {
        for (String bad : List.of("", "k8s-admin.Q2hhbmdlIG1lIGJlZm9yZSB1c2luZyBpdA", "egt_K8S.Q2hhbmdlIG1lIGJlZm9yZSB1c2luZyBpdA",
                "egt_k8s-admin.short", "egt_.Q2hhbmdlIG1lIGJlZm9yZSB1c2luZyBpdA")) {
            assertThatThrownBy(() -> tokens.adopt(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the initial admin token is not of the form egt_<name>.<secret>");
        }
        assertThat(tokens.list()).isEmpty();
    }

    @Test
    void aTokenFileThatCannotBeWrittenLeavesNoTokenBehind() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-directory"), "");
        assertThatThrownBy(() -> tokens.bootstrap(blocker.resolve("admin.token"))).isInstanceOf(IOException.class);
        assertThat(memory.list()).as("no admin token that nobody holds").isEmpty();

        tokens.bootstrap(dir.resolve("admin.token"));
        assertThat(memory.list()).extracting(TokenRecord::name).containsExactly("bootstrap-admin");
    }

    @Test
    void whileTheStoreIsAwayACheckedTokenStandsForTenSecondsThenNot() {
        String token = tokens.create("ops", Role.OPERATOR, Optional.empty()).token();
        assertThat(tokens.authenticate(token)).isPresent();
        store.down(true);
        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(tokens.authenticate(token)).as("checked 9 s ago").isPresent();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThatThrownBy(() -> tokens.authenticate(token)).isInstanceOf(StoreUnavailableException.class);
        store.down(false);
        assertThat(tokens.authenticate(token)).isPresent();
    }

    @Test
    void whileTheStoreIsAwayATokenLastFoundValidIsKnownForTenMinutesAndNoOtherIs() {
        String ops = tokens.create("ops", Role.OPERATOR, Optional.empty()).token();
        String soon = tokens.create("soon", Role.VIEWER, Optional.of(Duration.ofMinutes(5))).token();
        String revoked = tokens.create("gone", Role.ADMIN, Optional.empty()).token();
        String unseen = tokens.create("unseen", Role.VIEWER, Optional.empty()).token();
        assertThat(tokens.authenticate(ops)).isPresent();
        assertThat(tokens.authenticate(soon)).isPresent();
        tokens.revoke("gone");
        assertThat(tokens.authenticate(revoked)).isEmpty();
        store.down(true);

        nanos.addAndGet(Duration.ofMinutes(9).toNanos());
        millis.addAndGet(Duration.ofMinutes(9).toMillis());
        assertThatThrownBy(() -> tokens.authenticate(ops)).isInstanceOf(StoreUnavailableException.class);
        assertThat(tokens.lastKnown(ops)).contains(new Caller("ops", Role.OPERATOR));
        assertThat(tokens.lastKnown(ops.substring(0, ops.length() - 1) + "x")).as("its secret is still checked").isEmpty();
        assertThat(tokens.lastKnown(soon)).as("expired meanwhile").isEmpty();
        assertThat(tokens.lastKnown(revoked)).as("found revoked").isEmpty();
        assertThat(tokens.lastKnown(unseen)).as("never checked here").isEmpty();

        nanos.addAndGet(Duration.ofMinutes(2).toNanos());
        assertThat(tokens.lastKnown(ops)).as("found valid 11 minutes ago").isEmpty();
    }

    @Test
    void wrongSecretsMalformedTokensAndExpiredTokensAreRefused() throws Exception {
        String token = tokens.create("ci", Role.VIEWER, Optional.empty()).token();
        assertThat(tokens.authenticate(token.substring(0, token.length() - 1) + "x")).isEmpty();
        assertThat(tokens.authenticate("ci." + token.substring(token.indexOf('.') + 1))).as("no egt_ prefix").isEmpty();
        assertThat(tokens.authenticate("egt_../etc.x")).isEmpty();
        String brief = tokens.create("brief", Role.ADMIN, Optional.of(Duration.ofMinutes(5))).token();
        assertThat(tokens.authenticate(brief)).isPresent();
        millis.addAndGet(Duration.ofMinutes(5).toMillis());
        assertThat(tokens.authenticate(brief)).as("expired").isEmpty();
        assertThatThrownBy(() -> tokens.create("ci", Role.ADMIN, Optional.empty())).hasMessageContaining("exists");
        assertThatThrownBy(() -> tokens.create("Bad Name", Role.ADMIN, Optional.empty())).hasMessageContaining("lower-case");
    }
}
