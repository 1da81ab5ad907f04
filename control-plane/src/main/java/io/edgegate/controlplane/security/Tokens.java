package io.edgegate.controlplane.security;

import io.edgegate.controlplane.store.StoreUnavailableException;
import io.edgegate.security.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens: {@code egt_<name>.<secret>}. The name finds the record, the secret's SHA-256 is
 * compared in constant time. Lookups are remembered for {@link #RECHECK}, so a revocation reaches
 * every replica within that time while a busy egctl does not read etcd on every call; when etcd
 * cannot be reached the last answer stands (nothing can be revoked meanwhile either).
 */
public final class Tokens {

    private static final Logger log = LoggerFactory.getLogger(Tokens.class);
    static final Duration RECHECK = Duration.ofMillis(500);
    static final String PREFIX = "egt_";
    public static final String BOOTSTRAP_NAME = "bootstrap-admin";
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final int MAX_REMEMBERED = 10_000;

    private final TokenStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Lookup> remembered = new ConcurrentHashMap<>();

    public Tokens(TokenStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A new token and the secret text to hand to its holder (shown once, never stored). */
    public record Issued(TokenRecord record, String token) {
    }

    public Issued create(String name, Role role, Optional<Duration> ttl) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("token name '" + name + "' must be lower-case letters, digits and '-' (at most 63)");
        }
        if (ttl.isPresent() && (ttl.get().isNegative() || ttl.get().isZero())) {
            throw new IllegalArgumentException("a token's ttl must be positive");
        }
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        long now = clock.millis();
        TokenRecord record = new TokenRecord(name, role, sha256(secret), now, ttl.map(d -> now + d.toMillis()).orElse(0L));
        if (!store.create(record)) {
            throw new IllegalStateException("a token named '" + name + "' exists; revoke it first or pick another name");
        }
        remembered.remove(name);
        return new Issued(record, PREFIX + name + "." + secret);
    }

    public List<TokenRecord> list() {
        return store.list();
    }

    public boolean revoke(String name) {
        boolean deleted = store.delete(name);
        remembered.remove(name);
        return deleted;
    }

    /** The caller a token stands for, if it is known, matches and has not expired. */
    public Optional<Caller> authenticate(String token) {
        if (!token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int dot = token.lastIndexOf('.');
        if (dot <= PREFIX.length()) {
            return Optional.empty();
        }
        String name = token.substring(PREFIX.length(), dot);
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Optional<TokenRecord> record = lookup(name);
        if (record.isEmpty() || record.get().expiredAt(clock.millis())) {
            return Optional.empty();
        }
        byte[] presented = sha256(token.substring(dot + 1)).getBytes(StandardCharsets.US_ASCII);
        byte[] stored = record.get().secretSha256().getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(presented, stored)) {
            return Optional.empty();
        }
        return Optional.of(new Caller(name, record.get().role()));
    }

    private Optional<TokenRecord> lookup(String name) {
        long now = System.nanoTime();
        Lookup last = remembered.get(name);
        if (last != null && now - last.atNanos < RECHECK.toNanos()) {
            return last.record;
        }
        try {
            Optional<TokenRecord> record = store.find(name);
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
            remembered.put(name, new Lookup(record, now));
            return record;
        } catch (StoreUnavailableException e) {
            if (last != null) {
                return last.record;
            }
            throw e;
        }
    }

    /**
     * When no token exists at all (a new cluster, or every token was revoked), creates an admin
     * token and writes it to {@code file} (0600) for the operator. Of several replicas starting
     * together one wins; the others find the token made and write nothing.
     */
    public void bootstrap(Path file) throws IOException {
        if (!store.list().isEmpty()) {
            return;
        }
        Issued issued;
        try {
            issued = create(BOOTSTRAP_NAME, Role.ADMIN, Optional.empty());
        } catch (IllegalStateException e) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Pem.writeSecret(file, issued.token() + "\n");
        log.info("no token existed: wrote a new admin token to {} (egctl reads it with --token-file or EGCTL_TOKEN)", file);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Lookup(Optional<TokenRecord> record, long atNanos) {
    }
}
