package io.edgegate.spec.filter.ratelimiter;

import io.edgegate.spec.codec.SpecObject;
import java.util.Locale;
import java.util.Optional;

/**
 * EdgeGate's per-client mode (not in Easegress): each client gets its own permits under the
 * policy, the client named by its address ({@code clientIP}, after {@code trustedProxies}), a
 * request {@code header}, or a claim of the JWT a Validator verified ({@code jwtClaim}).
 * At most {@code maxClients} are tracked; the least recently seen are forgotten first, so
 * memory stays bounded however many clients arrive. Requests without the key share one bucket.
 */
public record PerClientSpec(KeySource key, Optional<String> header, Optional<String> jwtClaim, int maxClients) {

    public enum KeySource { CLIENT_IP, HEADER, JWT_CLAIM }

    static PerClientSpec decode(SpecObject o) {
        String key = o.string("key", "clientIP");
        KeySource source = switch (key.toLowerCase(Locale.ROOT)) {
            case "clientip" -> KeySource.CLIENT_IP;
            case "header" -> KeySource.HEADER;
            case "jwtclaim" -> KeySource.JWT_CLAIM;
            default -> {
                o.error("key", "'" + key + "' is not a client key (expected clientIP, header or jwtClaim)");
                yield KeySource.CLIENT_IP;
            }
        };
        Optional<String> header = o.optionalString("header").filter(h -> !h.isEmpty());
        Optional<String> claim = o.optionalString("jwtClaim").filter(c -> !c.isEmpty());
        if (source == KeySource.HEADER && header.isEmpty()) {
            o.error("header", "is required with key: header (the request header naming the client)");
        }
        if (source == KeySource.JWT_CLAIM && claim.isEmpty()) {
            o.error("jwtClaim", "is required with key: jwtClaim (e.g. sub)");
        }
        int max = o.integer("maxClients", 100_000, 1, 10_000_000);
        o.finish();
        return new PerClientSpec(source, header, claim, max);
    }
}
