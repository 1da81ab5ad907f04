package io.edgegate.spec.filter.validator;

import io.edgegate.spec.codec.SpecObject;
import java.time.Duration;
import java.util.Map;

/**
 * The Validator's {@code signature}: HMAC-SHA256 request signing in Easegress's scheme (close
 * to AWS Signature Version 4): a canonical request of method, path, query, the signed
 * headers and the body's SHA-256 (or {@code UNSIGNED-PAYLOAD} with {@code excludeBody}), a
 * signing key derived from the access key's secret, the date and the scope, carried in
 * {@code Authorization} with the time in the date header. {@code accessKeys} maps key ids to
 * secrets; a signature older (or newer) than {@code ttl} is refused, against replay.
 * {@code literal} renames the header names and constants (AWS's work with it).
 */
public record SignatureSpec(Map<String, String> accessKeys, Duration ttl, boolean excludeBody, Literal literal) {

    /** The names and constants of the scheme; the defaults are Easegress's. */
    public record Literal(String scopeSuffix, String algorithmValue, String date, String contentSha256,
                          String signingKeyPrefix) {
        public static final Literal DEFAULT = new Literal("megaease_request", "ME-HMAC-SHA256", "X-Me-Date", "X-Me-Content-Sha256", "ME");
        /** Easegress's {@code apiProvider: aws4}: AWS Signature Version 4. */
        public static final Literal AWS4 = new Literal("aws4_request", "AWS4-HMAC-SHA256", "X-Amz-Date", "X-Amz-Content-Sha256", "AWS4");

        /** A {@code literal} block; names used only by presigned URLs are read so they are not unknown keys. */
        public static Literal decode(SpecObject l) {
            Literal d = DEFAULT;
            Literal read = new Literal(l.string("scopeSuffix", d.scopeSuffix()), l.string("algorithmValue", d.algorithmValue()),
                    l.string("date", d.date()), l.string("contentSha256", d.contentSha256()),
                    l.string("signingKeyPrefix", d.signingKeyPrefix()));
            for (String name : new String[] {"algorithmName", "signedHeaders", "signature", "expires", "credential"}) {
                l.optionalString(name);
            }
            l.finish();
            return read;
        }
    }

    /** A window against replay when none is configured (Easegress checks none by default). */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

    public SignatureSpec {
        accessKeys = Map.copyOf(accessKeys);
    }

    static SignatureSpec decode(SpecObject o) {
        o.unsupported("presigned URLs (signatures in the query) are planned; sign with the Authorization header",
                "headerHoisting");
        Map<String, String> keys = o.stringMap("accessKeys");
        if (keys.isEmpty()) {
            o.error("accessKeys", "is required: access key ids and their secrets");
        }
        Duration ttl = o.duration("ttl", DEFAULT_TTL);
        boolean excludeBody = o.bool("excludeBody", false);
        o.stringList("ignoredHeaders");
        o.optionalString("accessKeyId");
        o.optionalString("accessKeySecret");
        Literal literal = o.object("literal").map(Literal::decode).orElse(Literal.DEFAULT);
        o.finish();
        return new SignatureSpec(keys, ttl, excludeBody, literal);
    }
}
