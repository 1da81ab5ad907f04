package io.edgegate.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.testkit.EtcdProcess;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token records in a real etcd, including ones written around the control plane that are no token. */
class EtcdTokenStoreTest {

    @TempDir
    Path dir;

    private static void putAround(Client direct, String name, String value) throws Exception {
        direct.getKVClient().put(ByteSequence.from(EtcdTokenStore.PREFIX + name, StandardCharsets.UTF_8),
                ByteSequence.from(value, StandardCharsets.UTF_8)).get();
    }

    @Test
    void recordsThatAreNoTokenAuthenticateNobodyAndNeitherBreakListingNorTheFirstAdminToken() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(); Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            putAround(client, "garbled", "\u001f\u008bnot json");
            putAround(client, "empty", "{}");
            putAround(client, "odd-role", "{\"name\":\"odd-role\",\"role\":\"superuser\",\"secretSha256\":\"00\"}");
            Tokens tokens = new Tokens(new EtcdTokenStore(client, Duration.ofSeconds(5)), Clock.systemUTC());

            Path file = dir.resolve("admin.token");
            tokens.bootstrap(file);
            String admin = Files.readString(file).strip();
            assertThat(tokens.authenticate(admin)).hasValue(new Caller("bootstrap-admin", Role.ADMIN));
            Tokens.Issued viewer = tokens.create("viewer", Role.VIEWER, Optional.empty());

            assertThat(tokens.list()).extracting(TokenRecord::name).containsExactlyInAnyOrder("bootstrap-admin", "viewer");
            assertThat(tokens.authenticate(viewer.token())).hasValue(new Caller("viewer", Role.VIEWER));
            assertThat(tokens.authenticate("egt_empty.abcdefghijklmnopqrstuvwxyz0123456789")).isEmpty();
            assertThat(tokens.authenticate("egt_garbled.abcdefghijklmnopqrstuvwxyz0123456789")).isEmpty();
            assertThat(tokens.revoke("garbled")).as("a record that is no token can still be removed").isTrue();
        }
    }

    @Test
    void aRecordThatIsNoTokenUnderTheFirstAdminTokensNameDoesNotLeaveTheClusterWithoutOne() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(); Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            putAround(client, "bootstrap-admin", "not a token");
            Tokens tokens = new Tokens(new EtcdTokenStore(client, Duration.ofSeconds(5)), Clock.systemUTC());

            Path file = dir.resolve("admin.token");
            tokens.bootstrap(file);

            String admin = Files.readString(file).strip();
            assertThat(admin).startsWith("egt_bootstrap-admin-");
            assertThat(tokens.authenticate(admin).map(Caller::role)).hasValue(Role.ADMIN);
        }
    }

    /** Expired tokens are deleted after a listing: one revoked and made anew under its name in between must stay. */
    @Test
    void aGuardedDeleteTakesTheListedRecordOnlyNotOneMadeAnewUnderItsName() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(); Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            EtcdTokenStore store = new EtcdTokenStore(client, Duration.ofSeconds(5));
            TokenRecord listed = new TokenRecord("ci", Role.OPERATOR, "aa", 1_000, 2_000);
            assertThat(store.create(listed)).isTrue();
            assertThat(store.delete("ci")).isTrue();
            TokenRecord remade = new TokenRecord("ci", Role.OPERATOR, "bb", 3_000, 0);
            assertThat(store.create(remade)).isTrue();

            assertThat(store.deleteIfUnchanged(listed)).isFalse();
            assertThat(store.find("ci")).hasValue(remade);
            assertThat(store.deleteIfUnchanged(remade)).isTrue();
            assertThat(store.find("ci")).isEmpty();
        }
    }
}
