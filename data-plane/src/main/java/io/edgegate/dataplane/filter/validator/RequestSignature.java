package io.edgegate.dataplane.filter.validator;

import io.edgegate.dataplane.http.SignatureV4;
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

    static final String UNSIGNED_PAYLOAD = SignatureV4.UNSIGNED_PAYLOAD;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

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
        String canonical = SignatureV4.canonicalRequest(method, rawPath, rawQuery, canonicalHeaders(signedHeaders, headers, https),
                signedHeaders, spec.excludeBody() ? UNSIGNED_PAYLOAD : SignatureV4.sha256Hex(body));
        byte[] expected = HexFormat.of().parseHex(SignatureV4.sign(canonical, literal.algorithmValue(), timeText, date, scopes,
                literal.scopeSuffix(), literal.signingKeyPrefix(), secret));
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException e) {
            return Optional.of("malformed signature");
        }
        return MessageDigest.isEqual(expected, given) ? Optional.empty() : Optional.of("the signature does not verify");
    }

    private static String canonicalHeaders(String signedHeaders, HttpHeaders headers, boolean https) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            out.append(name).append(':');
            if (name.equals("host")) {
                out.append(SignatureV4.host(headers.get("Host", ""), https));
            } else {
                out.append(SignatureV4.canonicalValue(headers.getAll(name)));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
