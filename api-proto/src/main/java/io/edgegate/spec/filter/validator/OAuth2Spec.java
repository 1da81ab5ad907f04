package io.edgegate.spec.filter.validator;

import io.edgegate.spec.codec.SpecObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * A Validator's {@code oauth2} (Easegress): a Bearer token checked by the authorization server's
 * RFC 7662 {@code tokenIntrospect} endpoint (active, or refused), or as a {@code jwt} signed with
 * an HMAC secret (hex). The token's subject and scope go to the backend as
 * {@code X-Authenticated-Userid} and {@code X-Authenticated-Scope}.
 */
public record OAuth2Spec(Optional<Introspection> tokenIntrospect, Optional<JwtSpec> jwt) {

    /** Where and how tokens are introspected: client credentials in the form, or a Basic header. */
    public record Introspection(String endPoint, String basicAuth, String clientId, String clientSecret, boolean insecureTls) {
        public URI uri() {
            return URI.create(endPoint);
        }
    }

    static OAuth2Spec decode(SpecObject o) {
        Optional<Introspection> introspect = o.object("tokenIntrospect").map(t -> {
            String endPoint = t.requiredString("endPoint");
            try {
                URI uri = new URI(endPoint);
                if (!endPoint.isEmpty() && (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())))) {
                    t.error("endPoint", "'" + endPoint + "' is not an http or https URL with a host");
                }
            } catch (URISyntaxException e) {
                t.error("endPoint", "'" + endPoint + "' is not a URL: " + e.getReason());
            }
            Introspection spec = new Introspection(endPoint, t.string("basicAuth", ""), t.string("clientId", ""),
                    t.string("clientSecret", ""), t.bool("insecureTls", false));
            t.finish();
            return spec;
        });
        Optional<JwtSpec> jwt = o.object("jwt").map(j -> {
            JwtSpec spec = JwtSpec.decode(j);
            if (!JwtSpec.HMAC.contains(spec.algorithm())) {
                j.error("algorithm", "oauth2's jwt takes HS256, HS384 or HS512");
            }
            return spec;
        });
        if (introspect.isEmpty() && jwt.isEmpty()) {
            o.error("oauth2 needs tokenIntrospect or jwt");
        }
        o.finish();
        return new OAuth2Spec(introspect, jwt);
    }
}
