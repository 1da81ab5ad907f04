package io.edgegate.dataplane.filter.validator;

import io.edgegate.spec.filter.validator.SignatureSpec;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies Easegress's HMAC-SHA256 request signatures (header form). Everything the
 * signature covers is rebuilt from the request as received: method, path (every byte but
 * unreserved ones and '/' percent-encoded), query (sorted, form-encoded), the headers the
 * client listed as signed (host without its default port), and the body's SHA-256.
 */
final class RequestSignature {

    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final SignatureSpec spec;

    RequestSignature(SignatureSpec spec) {
        this.spec = spec;
    }

    /** Why the request is refused, or empty when its signature holds. */
    Optional<String> verify(String method, String rawPath, String rawQuery, HttpHeaders headers, byte[] body, boolean https,
                            Instant now) {
        SignatureSpec.Literal literal = spec.literal();
        String authorization = headers.get("Authorization");
        if (authorization == null || !authorization.startsWith(literal.algorithmValue() + " ")) {
            return Optional.of("the request is not signed (Authorization: " + literal.algorithmValue() + " ...)");
        }
        String[] parts = authorization.substring(literal.algorithmValue().length() + 1).split(",");
        if (parts.length != 3 || !parts[0].trim().startsWith("Credential=") || !parts[1].trim().startsWith("SignedHeaders=")
                || !parts[2].trim().startsWith("Signature=")) {
            return Optional.of("malformed Authorization");
        }
        String[] credential = parts[0].trim().substring(11).split("/");
        if (credential.length < 3) {
            return Optional.of("malformed credential");
        }
        String keyId = credential[0];
        String date = credential[1];
        List<String> scopes = List.of(credential).subList(2, credential.length - 1);
        String signedHeaders = parts[1].trim().substring(14);
        String signature = parts[2].trim().substring(10);
        String timeText = headers.get(literal.date());
        if (timeText == null || !timeText.startsWith(date)) {
            return Optional.of("the signature's date does not match " + literal.date());
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(timeText, TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return Optional.of("malformed " + literal.date());
        }
        Duration age = Duration.between(signedAt, now).abs();
        if (!spec.ttl().isZero() && age.compareTo(spec.ttl()) > 0) {
            return Optional.of("the signature has expired");
        }
        String secret = spec.accessKeys().get(keyId);
        if (secret == null) {
            return Optional.of("unknown access key");
        }
        String scope = date + (scopes.isEmpty() ? "" : "/" + String.join("/", scopes)) + "/" + literal.scopeSuffix();
        String canonical = method + "\n" + canonicalPath(rawPath) + "\n" + canonicalQuery(rawQuery) + "\n"
                + canonicalHeaders(signedHeaders, headers, https) + "\n" + signedHeaders + "\n"
                + (spec.excludeBody() ? UNSIGNED_PAYLOAD : sha256Hex(body));
        String toSign = literal.algorithmValue() + "\n" + timeText + "\n" + scope + "\n"
                + sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
        byte[] key = (literal.signingKeyPrefix() + secret).getBytes(StandardCharsets.UTF_8);
        key = hmac(key, date);
        for (String s : scopes) {
            key = hmac(key, s);
        }
        key = hmac(key, literal.scopeSuffix());
        byte[] expected = hmac(key, toSign);
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException e) {
            return Optional.of("malformed signature");
        }
        return MessageDigest.isEqual(expected, given) ? Optional.empty() : Optional.of("the signature does not verify");
    }

    static String canonicalPath(String rawPath) {
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

    /** As Go's url.Values.Encode() of the parsed query: keys sorted, each key's values sorted. */
    static String canonicalQuery(String rawQuery) {
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

    private static String canonicalHeaders(String signedHeaders, HttpHeaders headers, boolean https) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            out.append(name).append(':');
            if (name.equals("host")) {
                out.append(host(headers.get("Host", ""), https));
            } else {
                out.append(canonicalValue(headers.getAll(name)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String host(String host, boolean https) {
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

    /** Values trimmed, runs of spaces made one, joined by commas. */
    private static String canonicalValue(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(values.get(i).trim().replaceAll(" {2,}", " "));
        }
        return out.toString();
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

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
