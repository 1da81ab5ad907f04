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
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.mindrot.jbcrypt.BCrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users and their passwords, in the forms Easegress's htpasswd library reads: bcrypt ($2a$, $2b$,
 * $2y$), MD5 crypt ($apr1$, htpasswd's default, and $1$), SHA-crypt ($5$, $6$: {@code mkpasswd},
 * {@code openssl passwd -5/-6}; a {@code rounds=} count is read too, which the library does not),
 * {SHA} (base64 SHA-1), {SSHA} (salted
 * SHA-1), and anything else as the password itself (plain text, as the library's last resort; a
 * warning says how many). What looks like another scheme ($y$, $argon2…, {SMD5}…) is
 * refused rather than taken as plain text: its hash would be the password. bcrypt is slow on purpose, so
 * checks run off the event loop (the caller's job) and a successful check is remembered for a
 * few minutes, keyed by a hash of the credentials and the stored hash.
 */
final class PasswordTable {

    private static final Logger log = LoggerFactory.getLogger(PasswordTable.class);

    /** $5$ or $6$, an optional rounds count, a salt, and the 43 or 86 characters of the hash. */
    private static final Pattern SHA_CRYPT = Pattern.compile(
            "\\$(?:5\\$(?:rounds=[0-9]{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{43}|6\\$(?:rounds=[0-9]{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{86})");

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
                        + ": expected user:password, the password hashed with bcrypt, MD5 ($apr1$), SHA-crypt ($5$, $6$), {SHA} "
                        + "or {SSHA}, or plain");
            }
            hashes.put(line.substring(0, colon), hash);
        }
        warnOfPlain(file.toString(), hashes);
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
                log.warn("CustomData {} record {} ignored: it needs username (or key) and password (bcrypt, MD5 "
                        + "($apr1$), SHA-crypt ($5$, $6$), {SHA}, {SSHA} or plain)", source, i + 1);
                continue;
            }
            hashes.put(user, hash);
        }
        warnOfPlain("CustomData " + source, hashes);
        return new PasswordTable(Map.copyOf(hashes));
    }

    private static void warnOfPlain(String source, Map<String, String> hashes) {
        long plain = hashes.values().stream().filter(PasswordTable::isPlain).count();
        if (plain > 0) {
            log.warn("basicAuth {}: {} of {} users have a plain-text password (read as Easegress reads it); hash them with "
                    + "htpasswd -B", source, plain, hashes.size());
        }
    }

    static PasswordTable empty() {
        return new PasswordTable(Map.of());
    }

    private static boolean isSupportedHash(String hash) {
        if (hash.startsWith("{SHA}") || hash.startsWith("{SSHA}")) {
            return decodes(hash.substring(hash.indexOf('}') + 1), hash.startsWith("{SHA}") ? 20 : 21);
        }
        if (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$") || Md5Crypt.handles(hash)) {
            return true;
        }
        if (hash.startsWith("$5$") || hash.startsWith("$6$")) {
            return SHA_CRYPT.matcher(hash).matches();
        }
        // Another scheme's hash taken as a plain password would let anyone who reads it in.
        return !hash.isEmpty() && !hash.startsWith("$") && !hash.startsWith("{");
    }

    private static boolean isPlain(String hash) {
        return !hash.startsWith("$") && !hash.startsWith("{");
    }

    /** Base64 of at least {@code minimum} bytes (a SHA-1 digest, and a salt after it for SSHA). */
    private static boolean decodes(String base64, int minimum) {
        try {
            return Base64.getDecoder().decode(base64).length >= minimum;
        } catch (IllegalArgumentException e) {
            return false;
        }
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
        boolean ok = matches(password, hash);
        if (ok) {
            recentlyAccepted.put(key, Boolean.TRUE);
        }
        return ok;
    }

    private static boolean matches(String password, String hash) {
        if (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$")) {
            // $2b$ and $2y$ differ from $2a$ only in name.
            try {
                return BCrypt.checkpw(password, "$2a$" + hash.substring(4));
            } catch (IllegalArgumentException malformed) {
                return false;
            }
        }
        if (Md5Crypt.handles(hash)) {
            return Md5Crypt.matches(password, hash);
        }
        if (hash.startsWith("$5$") || hash.startsWith("$6$")) {
            // Its salt setting is all before the last '$'; the result is the whole string, compared whole.
            String setting = hash.substring(0, hash.lastIndexOf('$'));
            byte[] key = password.getBytes(StandardCharsets.UTF_8);
            String computed = hash.startsWith("$5$") ? Sha2Crypt.sha256Crypt(key, setting) : Sha2Crypt.sha512Crypt(key, setting);
            return MessageDigest.isEqual(computed.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8));
        }
        if (hash.startsWith("{SHA}")) {
            return MessageDigest.isEqual(Base64.getDecoder().decode(hash.substring(5)), digest("SHA-1", password));
        }
        if (hash.startsWith("{SSHA}")) {
            byte[] stored = Base64.getDecoder().decode(hash.substring(6));
            byte[] salt = java.util.Arrays.copyOfRange(stored, 20, stored.length);
            byte[] pw = password.getBytes(StandardCharsets.UTF_8);
            byte[] salted = java.util.Arrays.copyOf(pw, pw.length + salt.length);
            System.arraycopy(salt, 0, salted, pw.length, salt.length);
            return MessageDigest.isEqual(java.util.Arrays.copyOf(stored, 20), digest("SHA-1", salted));
        }
        return MessageDigest.isEqual(hash.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] digest(String algorithm, String text) {
        return digest(algorithm, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(digest("SHA-256", text));
    }
}
