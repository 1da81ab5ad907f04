package io.edgegate.dataplane.filter.validator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The MD5-based crypt of htpasswd's default ({@code $apr1$}, Apache's variant) and of older
 * Unix systems ({@code $1$}): 1,000 rounds of MD5 over the password and a salt of up to 8
 * characters, written in crypt's base-64 alphabet.
 */
final class Md5Crypt {

    private static final String ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Md5Crypt() {
    }

    /** Whether {@code hash} is an MD5 crypt this class reads. */
    static boolean handles(String hash) {
        return hash.startsWith("$apr1$") || hash.startsWith("$1$");
    }

    /** Whether {@code password} hashes to {@code hash} ({@code $apr1$salt$digest} or {@code $1$salt$digest}). */
    static boolean matches(String password, String hash) {
        String magic = hash.startsWith("$apr1$") ? "$apr1$" : "$1$";
        int saltEnd = hash.indexOf('$', magic.length());
        if (saltEnd < 0) {
            return false;
        }
        String salt = hash.substring(magic.length(), Math.min(saltEnd, magic.length() + 8));
        byte[] expected = hash.getBytes(StandardCharsets.UTF_8);
        byte[] actual = crypt(password, magic, salt).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, actual);
    }

    static String crypt(String password, String magic, String salt) {
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        byte[] saltBytes = salt.getBytes(StandardCharsets.UTF_8);
        MessageDigest md5 = md5();
        md5.update(pw);
        md5.update(saltBytes);
        md5.update(pw);
        byte[] alternate = md5.digest();

        md5.update(pw);
        md5.update(magic.getBytes(StandardCharsets.US_ASCII));
        md5.update(saltBytes);
        for (int left = pw.length; left > 0; left -= 16) {
            md5.update(alternate, 0, Math.min(16, left));
        }
        for (int bits = pw.length; bits != 0; bits >>>= 1) {
            if ((bits & 1) != 0) {
                md5.update((byte) 0);
            } else {
                md5.update(pw, 0, Math.min(1, pw.length));
            }
        }
        byte[] round = md5.digest();
        for (int i = 0; i < 1000; i++) {
            if ((i & 1) != 0) {
                md5.update(pw);
            } else {
                md5.update(round);
            }
            if (i % 3 != 0) {
                md5.update(saltBytes);
            }
            if (i % 7 != 0) {
                md5.update(pw);
            }
            if ((i & 1) != 0) {
                md5.update(round);
            } else {
                md5.update(pw);
            }
            round = md5.digest();
        }
        StringBuilder out = new StringBuilder(magic).append(salt).append('$');
        encode(out, round[0], round[6], round[12], 4);
        encode(out, round[1], round[7], round[13], 4);
        encode(out, round[2], round[8], round[14], 4);
        encode(out, round[3], round[9], round[15], 4);
        encode(out, round[4], round[10], round[5], 4);
        encode(out, (byte) 0, (byte) 0, round[11], 2);
        return out.toString();
    }

    private static void encode(StringBuilder out, byte high, byte middle, byte low, int characters) {
        int value = ((high & 0xff) << 16) | ((middle & 0xff) << 8) | (low & 0xff);
        for (int i = 0; i < characters; i++) {
            out.append(ALPHABET.charAt(value & 0x3f));
            value >>>= 6;
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
