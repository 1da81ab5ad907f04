package io.edgegate.spec.filter.adaptor;

import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.validator.SignatureSpec;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A RequestAdaptor's {@code sign} (Easegress v2): the request is signed last, after every other
 * change, with HMAC-SHA256 in Easegress's scheme — {@code apiProvider: aws4} is AWS Signature
 * Version 4 ({@code scopes} are the region and service), none is Easegress's own constants, and
 * {@code literal} renames them. The signature covers the method, path, query, the headers the
 * request has then (less {@code Authorization}, {@code User-Agent}, {@code ignoredHeaders} and
 * those a proxy rewrites on the way: hop-by-hop and X-Forwarded-*) and the body's SHA-256, or
 * {@code UNSIGNED-PAYLOAD} with {@code excludeBody} (and for a body of unknown or more than 4 MB
 * length). The Host signed is the request's own: set the adaptor's {@code host} to the
 * upstream's when it checks the signature.
 */
public record SignSpec(String accessKeyId, String accessKeySecret, List<String> scopes, SignatureSpec.Literal literal,
                       Set<String> ignoredHeaders, boolean excludeBody) {

    public SignSpec {
        scopes = List.copyOf(scopes);
        ignoredHeaders = Set.copyOf(ignoredHeaders);
    }

    static SignSpec decode(SpecObject o) {
        String provider = o.string("apiProvider", "");
        SignatureSpec.Literal literal = o.object("literal").map(SignatureSpec.Literal::decode).orElse(SignatureSpec.Literal.DEFAULT);
        if (provider.equals("aws4")) {
            // As in Easegress, the provider's constants replace any literal given.
            literal = SignatureSpec.Literal.AWS4;
        } else if (!provider.isEmpty()) {
            o.error("apiProvider", "'" + provider + "' is not a supported API provider (expected aws4)");
        }
        List<String> scopes = o.stringList("scopes");
        String id = o.requiredString("accessKeyId");
        String secret = o.requiredString("accessKeySecret");
        Set<String> ignored = Set.copyOf(o.stringList("ignoredHeaders").stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        boolean excludeBody = o.bool("excludeBody", false);
        // Header hoisting applies to presigned URLs only, which Easegress's filter never makes; ttl and
        // accessKeys are for verifying. Read so they are not unknown keys.
        o.object("headerHoisting").ifPresent(h -> {
            h.stringList("allowedPrefix");
            h.stringList("disallowedPrefix");
            h.stringList("disallowed");
            h.finish();
        });
        o.duration("ttl", java.time.Duration.ZERO);
        o.stringMap("accessKeys");
        o.finish();
        return new SignSpec(id, secret, scopes, literal, ignored, excludeBody);
    }
}
