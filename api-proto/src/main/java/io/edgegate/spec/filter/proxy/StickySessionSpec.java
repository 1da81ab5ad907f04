package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.codec.SpecObject;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeping a client on one server, in Easegress's {@code stickySession} format.
 * {@code CookieConsistentHash}: the value of the application's cookie ({@code appCookieName})
 * picks the server on a consistent-hash ring, so servers joining or leaving move few
 * clients. {@code DurationBased}: the proxy's own cookie ({@code lbCookieName}, default
 * {@code EG_SESSION}) names the server and is renewed on every response for
 * {@code lbCookieExpire} (default 2h). {@code ApplicationBased}: the same cookie, set only when
 * the server sets {@code appCookieName}, so the session lives as long as the application's.
 */
public record StickySessionSpec(Mode mode, Optional<String> appCookieName, String lbCookieName, Duration lbCookieExpire) {

    public static final String DEFAULT_LB_COOKIE = "EG_SESSION";
    public static final Duration DEFAULT_EXPIRE = Duration.ofHours(2);

    /** The three modes, spelled as in Easegress. */
    public enum Mode { COOKIE_CONSISTENT_HASH, DURATION_BASED, APPLICATION_BASED }

    static StickySessionSpec decode(SpecObject o) {
        String modeName = o.requiredString("mode");
        Mode mode = switch (modeName.toLowerCase(Locale.ROOT)) {
            case "cookieconsistenthash" -> Mode.COOKIE_CONSISTENT_HASH;
            case "durationbased" -> Mode.DURATION_BASED;
            case "applicationbased" -> Mode.APPLICATION_BASED;
            default -> {
                if (!modeName.isEmpty()) {
                    o.error("mode", "'" + modeName + "' is not a sticky-session mode "
                            + "(expected CookieConsistentHash, DurationBased or ApplicationBased)");
                }
                yield Mode.DURATION_BASED;
            }
        };
        Optional<String> appCookie = o.optionalString("appCookieName").filter(n -> !n.isEmpty());
        if (mode != Mode.DURATION_BASED && appCookie.isEmpty()) {
            o.error("appCookieName", "is required with mode " + modeName + " (the application's session cookie)");
        }
        String lbCookie = o.string("lbCookieName", DEFAULT_LB_COOKIE);
        Duration expire = o.duration("lbCookieExpire", DEFAULT_EXPIRE);
        if (expire.isZero()) {
            o.error("lbCookieExpire", "must be positive");
        }
        o.finish();
        return new StickySessionSpec(mode, appCookie, lbCookie, expire);
    }
}
