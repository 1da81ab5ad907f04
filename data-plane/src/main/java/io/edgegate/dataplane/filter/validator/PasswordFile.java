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

/**
 * Users and password hashes from an htpasswd-style file, read when the config is applied.
 * bcrypt is slow on purpose, so checks run off the event loop (the caller's job) and a
 * successful check is remembered for a few minutes, keyed by a hash of the credentials.
 */
final class PasswordFile {

    private final Map<String, String> hashes;
    private final Cache<String, Boolean> recentlyAccepted = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(5)).executor(Runnable::run).build();

    private PasswordFile(Map<String, String> hashes) {
        this.hashes = hashes;
    }

    static PasswordFile read(Path file) {
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
            if (colon <= 0 || !(hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$")
                    || hash.startsWith("{SHA}"))) {
                throw new IllegalArgumentException(file + " line " + (i + 1)
                        + ": expected user:hash with a bcrypt ($2a$, $2b$, $2y$) or {SHA} hash");
            }
            hashes.put(line.substring(0, colon), hash);
        }
        return new PasswordFile(Map.copyOf(hashes));
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
