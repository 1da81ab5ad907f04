package io.edgegate.dataplane.filter.validator;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.mindrot.jbcrypt.BCrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users and their password hashes: bcrypt ($2a$, $2b$, $2y$) or {SHA} (base64 SHA-1). bcrypt is
 * slow on purpose, so checks run off the event loop (the caller's job) and a successful check is
 * remembered for a few minutes, keyed by a hash of the credentials and the stored hash.
 */
final class PasswordTable {

    private static final Logger log = LoggerFactory.getLogger(PasswordTable.class);

    private final Map<String, String> hashes;
    private final Cache<String, Boolean> recentlyAccepted = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(5)).executor(Runnable::run).build();

    private PasswordTable(Map<String, String> hashes) {
        this.hashes = hashes;
    }

    /** An htpasswd-style file, one {@code user:hash} per line; any bad line refuses the whole file. */
    static PasswordTable readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read basicAuth userFile " + file + ": " + e.getMessage());
        }
        Map<String, String> hashes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String hash = colon < 0 ? "" : line.substring(colon + 1);
            if (colon <= 0 || !isSupportedHash(hash)) {
                throw new IllegalArgumentException(file + " line " + (i + 1)
                        + ": expected user:hash with a bcrypt ($2a$, $2b$, $2y$) or {SHA} hash");
            }
            hashes.put(line.substring(0, colon), hash);
        }
        return new PasswordTable(Map.copyOf(hashes));
    }

    /**
     * The records of a CustomData object, each with {@code username} (or Easegress's {@code key})
     * and {@code password}. Data can change at any time without a config check, so a bad record
     * only locks out its own user and is logged; it does not take the others with it.
     */
    static PasswordTable fromRecords(String source, List<Map<String, String>> records) {
        Map<String, String> hashes = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            Map<String, String> record = records.get(i);
            String user = record.getOrDefault("username", record.get("key"));
            String hash = record.get("password");
            if (user == null || user.isEmpty() || hash == null || !isSupportedHash(hash)) {
                log.warn("CustomData {} record {} ignored: it needs username (or key) and password with a bcrypt "
                        + "($2a$, $2b$, $2y$) or {SHA} hash", source, i + 1);
                continue;
            }
            hashes.put(user, hash);
        }
        return new PasswordTable(Map.copyOf(hashes));
    }

    static PasswordTable empty() {
        return new PasswordTable(Map.of());
    }

    private static boolean isSupportedHash(String hash) {
        return hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$") || hash.startsWith("{SHA}");
    }

    /** Whether {@code password} is {@code user}'s. Slow for bcrypt the first time: call off the event loop. */
    boolean accepts(String user, String password) {
        String hash = hashes.get(user);
        if (hash == null) {
            return false;
        }
        String key = sha256(user + '\0' + password + '\0' + hash);
        if (recentlyAccepted.getIfPresent(key) != null) {
            return true;
        }
        boolean ok;
        if (hash.startsWith("{SHA}")) {
            ok = MessageDigest.isEqual(Base64.getDecoder().decode(hash.substring(5)), digest("SHA-1", password));
        } else {
            // $2b$ and $2y$ differ from $2a$ only in name.
            ok = BCrypt.checkpw(password, "$2a$" + hash.substring(4));
        }
        if (ok) {
            recentlyAccepted.put(key, Boolean.TRUE);
        }
        return ok;
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(digest("SHA-256", text));
    }
}
