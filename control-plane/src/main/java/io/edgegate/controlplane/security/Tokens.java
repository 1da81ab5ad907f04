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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens: {@code egt_<name>.<secret>}. The name finds the record, the secret's SHA-256 is
 * compared in constant time. Lookups are remembered for {@link #RECHECK}, so a revocation reaches
 * every replica within that time while a busy egctl does not read etcd on every call. When etcd
 * cannot be reached an answer up to {@link #STALE_LIMIT} old still stands (a replica cut off from
 * etcd keeps serving its cached reads for that long, no longer: a token revoked through another
 * replica meanwhile stops working then).
 */
public final class Tokens {

    private static final Logger log = LoggerFactory.getLogger(Tokens.class);
    static final Duration RECHECK = Duration.ofMillis(500);
    static final Duration STALE_LIMIT = Duration.ofSeconds(10);
    /** How long a token found valid still shows the cluster's state while etcd is unreachable (see {@link #lastKnown}). */
    public static final Duration OUTAGE_LIMIT = Duration.ofMinutes(10);
    static final String PREFIX = "egt_";
    public static final String BOOTSTRAP_NAME = "bootstrap-admin";
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final int MAX_REMEMBERED = 10_000;
    /** 128 bits in base64: a token made by hand must not be guessable. */
    private static final int MIN_SECRET_CHARS = 22;

    private final TokenStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Least recently used lookups, a bounded number: random names cannot flush the ones in use. */
    private final Map<String, Lookup> remembered = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Lookup> eldest) {
                    return size() > MAX_REMEMBERED;
                }
            });

    private final java.util.function.LongSupplier nanoTime;

    public Tokens(TokenStore store, Clock clock) {
        this(store, clock, System::nanoTime);
    }

    Tokens(TokenStore store, Clock clock, java.util.function.LongSupplier nanoTime) {
        this.store = store;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    /** A new token and the secret text to hand to its holder (shown once, never stored). */
    public record Issued(TokenRecord record, String token) {
    }

    public Issued create(String name, Role role, Optional<Duration> ttl) {
        Issued issued = issue(name, role, ttl);
        if (!store.create(issued.record())) {
            throw new IllegalStateException("a token named '" + name + "' exists; revoke it first or pick another name");
        }
        remembered.remove(name);
        return issued;
    }

    /** A new token, not stored yet. */
    private Issued issue(String name, Role role, Optional<Duration> ttl) {
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
        return new Issued(record, PREFIX + name + "." + secret);
    }

    public List<TokenRecord> list() {
        return store.list();
    }

    /**
     * Deletes the tokens that expired more than {@code keptAfter} ago: they authenticate no one, and
     * each would stay in etcd forever (tokens with a ttl are often made under a new name each time).
     * Until then {@code egctl token list} shows them expired. Every replica may run it; a token
     * another one deleted first is simply not found.
     *
     * @return the names deleted
     */
    public List<String> removeExpired(Duration keptAfter) {
        long before = clock.millis() - keptAfter.toMillis();
        List<String> removed = new ArrayList<>();
        for (TokenRecord token : store.list()) {
            // Guarded: a token revoked and made anew under its name since the listing stays.
            if (token.expiresAtMillis() != 0 && token.expiresAtMillis() < before && store.deleteIfUnchanged(token)) {
                remembered.remove(token.name());
                removed.add(token.name());
            }
        }
        return removed;
    }

    public boolean revoke(String name) {
        boolean deleted = store.delete(name);
        remembered.remove(name);
        return deleted;
    }

    /** The caller a token stands for, if it is known, matches and has not expired. */
    public Optional<Caller> authenticate(String token) {
        return check(token, this::lookup);
    }

    /**
     * While etcd cannot be reached: the caller a token stood for when it was last found valid, at most
     * {@link #OUTAGE_LIMIT} ago — for the calls that only show the cluster's state, so an operator is not
     * blind during the outage. A token never found, or found revoked, stays refused; expiry still counts.
     */
    public Optional<Caller> lastKnown(String token) {
        return check(token, this::lastKnownRecord);
    }

    /** The record of a token name as it was last found, at most {@link #OUTAGE_LIMIT} ago (see {@link #lastKnown}). */
    Optional<TokenRecord> lastKnownRecord(String name) {
        Lookup last = remembered.get(name);
        return last != null && nanoTime.getAsLong() - last.atNanos < OUTAGE_LIMIT.toNanos() ? last.record : Optional.empty();
    }

    private Optional<Caller> check(String token, java.util.function.Function<String, Optional<TokenRecord>> find) {
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
        Optional<TokenRecord> record = find.apply(name);
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

    /** The stored record of a token name, through the same short-lived cache as {@link #authenticate}. */
    Optional<TokenRecord> record(String name) {
        return NAME.matcher(name).matches() ? lookup(name) : Optional.empty();
    }

    private Optional<TokenRecord> lookup(String name) {
        long now = nanoTime.getAsLong();
        Lookup last = remembered.get(name);
        if (last != null && now - last.atNanos < RECHECK.toNanos()) {
            return last.record;
        }
        try {
            Optional<TokenRecord> record = store.find(name);
            remembered.put(name, new Lookup(record, now));
            return record;
        } catch (StoreUnavailableException e) {
            if (last != null && now - last.atNanos < STALE_LIMIT.toNanos()) {
                return last.record;
            }
            throw e;
        }
    }

    /**
     * When no admin token works (a new cluster, a store that lost its tokens, or every admin token
     * revoked or expired), creates one and writes it to {@code file} (0600) for the operator with
     * access to this host. The file is written before the record and moved into place only once
     * the record exists, so a failure leaves neither a token nobody holds nor a file of no token.
     * Of several replicas starting together one wins; the others write nothing.
     */
    public void bootstrap(Path file) throws IOException {
        long now = clock.millis();
        if (anAdminTokenWorks(now)) {
            return;
        }
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        String later = BOOTSTRAP_NAME + "-" + now / 1000;
        String name = store.find(BOOTSTRAP_NAME).isPresent() ? later : BOOTSTRAP_NAME;
        // The name is taken by another replica starting at the same time, which stored its own admin token,
        // or by a record that is no token (written around the control plane): then under the other name.
        if (!storeAdminToken(name, target) && name.equals(BOOTSTRAP_NAME) && !anAdminTokenWorks(clock.millis())) {
            storeAdminToken(later, target);
        }
    }

    /** Writes a new admin token named {@code name} to {@code target} once its record is stored; false when the name is taken. */
    private boolean storeAdminToken(String name, Path target) throws IOException {
        Path pending = target.resolveSibling(target.getFileName() + ".pending-" + ProcessHandle.current().pid());
        Issued issued = issue(name, Role.ADMIN, Optional.empty());
        Pem.writeSecret(pending, issued.token() + "\n");
        if (!store.create(issued.record())) {
            Files.deleteIfExists(pending);
            return false;
        }
        try {
            Files.move(pending, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            store.delete(name);
            Files.deleteIfExists(pending);
            throw e;
        }
        log.info("no admin token worked: wrote a new one ({}) to {} (egctl reads it with --token-file or EGCTL_TOKEN)", name, target);
        return true;
    }

    /**
     * When no admin token works, makes {@code token} — one made beforehand, e.g. held in a
     * Kubernetes Secret or a systemd credential — the admin token: only its hash is stored, and
     * nothing is written. Of several replicas starting together one stores it.
     *
     * @throws IllegalArgumentException when {@code token} is not of the form {@code egt_<name>.<secret>}
     */
    public void adopt(String token) {
        int dot = token.lastIndexOf('.');
        String name = token.startsWith(PREFIX) && dot > PREFIX.length() ? token.substring(PREFIX.length(), dot) : "";
        String secret = dot >= 0 ? token.substring(dot + 1) : "";
        if (!NAME.matcher(name).matches() || secret.length() < MIN_SECRET_CHARS) {
            throw new IllegalArgumentException("the initial admin token is not of the form " + PREFIX
                    + "<name>.<secret> with a name of lower-case letters, digits and '-' and a secret of at least "
                    + MIN_SECRET_CHARS + " characters");
        }
        long now = clock.millis();
        if (anAdminTokenWorks(now)) {
            return;
        }
        if (store.create(new TokenRecord(name, Role.ADMIN, sha256(secret), now, 0))) {
            remembered.remove(name);
            log.info("no admin token worked: the initial admin token '{}' is the admin token now", name);
        } else if (store.find(name).filter(t -> t.secretSha256().equals(sha256(secret))).isEmpty()) {
            log.warn("no admin token works, and the initial admin token cannot be stored: another token is named '{}'", name);
        }
    }

    private boolean anAdminTokenWorks(long now) {
        return store.list().stream().anyMatch(t -> t.role() == Role.ADMIN && !t.expiredAt(now));
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
