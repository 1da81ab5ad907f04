package io.edgegate.dataplane.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The parts of Easegress's HMAC-SHA256 request signature (AWS Signature Version 4 with
 * renamable constants) that signing and verifying share: the canonical path, query and header
 * values, the signing key derived from the secret, date and scopes, and the signature itself.
 */
public final class SignatureV4 {

    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SignatureV4() {
    }

    /**
     * The hex signature of a canonical request.
     *
     * @param date the day of {@code time}, {@code yyyyMMdd}
     * @param time {@code yyyyMMdd'T'HHmmss'Z'}
     */
    public static String sign(String canonicalRequest, String algorithm, String time, String date, List<String> scopes,
                              String scopeSuffix, String keyPrefix, String secret) {
        String toSign = algorithm + "\n" + time + "\n" + scope(date, scopes, scopeSuffix) + "\n"
                + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac((keyPrefix + secret).getBytes(StandardCharsets.UTF_8), date);
        for (String s : scopes) {
            key = hmac(key, s);
        }
        key = hmac(key, scopeSuffix);
        return HexFormat.of().formatHex(hmac(key, toSign));
    }

    public static String scope(String date, List<String> scopes, String scopeSuffix) {
        return date + (scopes.isEmpty() ? "" : "/" + String.join("/", scopes)) + "/" + scopeSuffix;
    }

    /** METHOD, path, query, each signed header as {@code name:value}, the names, the body's hash: one per line. */
    public static String canonicalRequest(String method, String rawPath, String rawQuery, String canonicalHeaders,
                                          String signedHeaders, String bodyHash) {
        return method + "\n" + canonicalPath(rawPath) + "\n" + canonicalQuery(rawQuery) + "\n" + canonicalHeaders + "\n"
                + signedHeaders + "\n" + bodyHash;
    }

    /** Every byte but unreserved ones and '/' percent-encoded (so an escape is escaped again); empty is "/". */
    public static String canonicalPath(String rawPath) {
        if (rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(rawPath.length() + 16);
        for (byte b : rawPath.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (unreserved(c) || c == '/') {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    /** As Go's url.Values.Encode() of the parsed query: keys sorted, each key's values sorted, spaces as '+'. */
    public static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> params = new TreeMap<>();
        for (String pair : rawQuery.split("[&;]")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = formDecode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : formDecode(pair.substring(eq + 1));
            params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            List<String> values = new ArrayList<>(param.getValue());
            values.sort(null);
            for (String v : values) {
                if (out.length() > 0) {
                    out.append('&');
                }
                out.append(formEncode(param.getKey())).append('=').append(formEncode(v));
            }
        }
        return out.toString();
    }

    /** A Host value as signed: without the scheme's default port. */
    public static String host(String host, boolean https) {
        int colon = host.lastIndexOf(':');
        int bracket = host.lastIndexOf(']');
        if (colon > bracket) {
            String port = host.substring(colon + 1);
            if (port.isEmpty() || (!https && port.equals("80")) || (https && port.equals("443"))) {
                return host.substring(0, colon);
            }
        }
        return host;
    }

    /** A header's values as signed: each trimmed, runs of spaces made one, joined by commas. */
    public static String canonicalValue(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(values.get(i).trim().replaceAll(" {2,}", " "));
        }
        return out.toString();
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean unreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static String formDecode(String s) {
        try {
            return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String formEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (unreserved(c)) {
                out.append(c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
