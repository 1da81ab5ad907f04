package io.edgegate.controlplane.security;

/**
 * A token as stored: never its secret, only the secret's SHA-256 (the secret is 256 random bits,
 * so a plain hash cannot be reversed by guessing). {@code expiresAtMillis} 0 means never.
 */
public record TokenRecord(String name, Role role, String secretSha256, long createdAtMillis, long expiresAtMillis) {

    public boolean expiredAt(long nowMillis) {
        return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
    }
}
