package io.edgegate.spec.filter.oidcadaptor;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;

/**
 * OIDCAdaptor (Easegress v2): signs users in with OpenID Connect's authorization code flow. A
 * request that carries the cookie {@code cookieName} or a Bearer token goes on; any other is
 * redirected (302, result {@code oidcFiltered}) to the provider's authorization endpoint; the
 * provider sends the user back to {@code redirectURI}, whose code is exchanged at the token
 * endpoint. The ID token is verified (its signature by the provider's JWKS, or by
 * {@code clientSecret} for HS256/384/512; audience, expiry and the nonce of this sign-in) or,
 * without one, the user is read at {@code userinfoEndpoint}; the request then goes on with
 * {@code X-Access-Token}, {@code X-ID-Token}, {@code X-User-Info} (base64 of the user's JSON) and
 * {@code X-Origin-Request-URL}. The endpoints come from {@code discovery} (the provider's
 * {@code .well-known/openid-configuration}) or are given one by one (OAuth2 providers such as
 * GitHub).
 */
public record OidcAdaptorSpec(String name, Optional<String> cookieName, String clientId, String clientSecret,
                              Optional<URI> discovery, Optional<URI> authorizationEndpoint, Optional<URI> tokenEndpoint,
                              Optional<URI> userinfoEndpoint, String redirectUri) implements FilterSpec {

    public static final String KIND = "OIDCAdaptor";
    public static final String RESULT_FILTERED = "oidcFiltered";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_FILTERED), OidcAdaptorSpec::decode);

    @Override
    public String kind() {
        return KIND;
    }

    /** The path of {@code redirectURI} (which may be a URL or a path): the callback is recognised by it. */
    public String redirectPath() {
        try {
            String path = new URI(redirectUri).getRawPath();
            return path == null || path.isEmpty() ? "/" : path;
        } catch (URISyntaxException e) {
            return redirectUri;
        }
    }

    static OidcAdaptorSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        Optional<String> cookie = o.optionalString("cookieName").filter(c -> !c.isEmpty());
        String clientId = o.requiredString("clientId");
        String clientSecret = o.requiredString("clientSecret");
        Optional<URI> discovery = url(o, "discovery");
        Optional<URI> authorization = url(o, "authorizationEndpoint");
        Optional<URI> token = url(o, "tokenEndpoint");
        Optional<URI> userinfo = url(o, "userinfoEndpoint");
        String redirect = o.requiredString("redirectURI");
        if (!redirect.isEmpty()) {
            try {
                URI uri = new URI(redirect);
                if (uri.getRawPath() == null || (!uri.isAbsolute() && !redirect.startsWith("/"))) {
                    o.error("redirectURI", "'" + redirect + "' is neither a URL nor a path starting with '/'");
                }
            } catch (URISyntaxException e) {
                o.error("redirectURI", "'" + redirect + "' is neither a URL nor a path starting with '/'");
            }
        }
        // An empty discovery is no discovery (as Easegress reads it): the endpoints must then be given.
        boolean discoveryGiven = o.optionalString("discovery").filter(v -> !v.isEmpty()).isPresent();
        if (!discoveryGiven && (authorization.isEmpty() || token.isEmpty())) {
            o.error("give discovery (the provider's .well-known/openid-configuration), or authorizationEndpoint and tokenEndpoint");
        }
        o.finish();
        return new OidcAdaptorSpec(name, cookie, clientId, clientSecret, discovery, authorization, token, userinfo, redirect);
    }

    private static Optional<URI> url(SpecObject o, String key) {
        Optional<String> given = o.optionalString(key).filter(v -> !v.isEmpty());
        if (given.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(given.get());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        o.error(key, "'" + given.get() + "' is not an http(s) URL");
        return Optional.empty();
    }
}
