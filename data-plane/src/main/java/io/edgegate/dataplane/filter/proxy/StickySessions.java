package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.proxy.StickySessionSpec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.cookie.ClientCookieDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps clients on the server they started with (Easegress's three modes, see
 * {@link StickySessionSpec}). The proxy's cookie holds a server id derived from the server's
 * URL, the same on every node, so a client stays put whichever node it reaches; a server
 * that left the pool is simply not found and the client is balanced anew.
 */
final class StickySessions {

    private final StickySessionSpec spec;
    private final Map<String, Upstream> byId = new HashMap<>();
    private final HashRing ring;
    private final String lbCookie;
    private final long maxAgeSeconds;

    StickySessions(StickySessionSpec spec, Upstream[] servers) {
        this.spec = spec;
        for (Upstream server : servers) {
            byId.put(idOf(server), server);
        }
        this.ring = spec.mode() == StickySessionSpec.Mode.COOKIE_CONSISTENT_HASH ? new HashRing(servers) : null;
        this.lbCookie = spec.lbCookieName();
        this.maxAgeSeconds = spec.lbCookieExpire().toSeconds();
    }

    /** The server this client is bound to, or null to balance it. */
    Upstream boundServer(RequestContext context) {
        if (ring != null) {
            String appCookie = affinityKey(context);
            return appCookie == null ? null : ring.serverFor(appCookie);
        }
        String id = Cookies.value(context.request().headers(), lbCookie);
        return id == null ? null : byId.get(id);
    }

    /**
     * CookieConsistentHash's key (the application's cookie), by which a session whose server is out of the
     * rotation goes to the same other server on every request; null in the other modes, which bind anew.
     */
    String affinityKey(RequestContext context) {
        return ring == null ? null : Cookies.value(context.request().headers(), spec.appCookieName().orElseThrow());
    }

    /** Binds the client to {@code server} with the proxy's cookie, when the mode says so. */
    void onResponse(Upstream server, HttpResponse head) {
        switch (spec.mode()) {
            case COOKIE_CONSISTENT_HASH -> {
                // The application's own cookie is the binding: nothing to add.
            }
            case DURATION_BASED -> bind(server, head);
            case APPLICATION_BASED -> {
                if (setsCookie(head, spec.appCookieName().orElseThrow())) {
                    bind(server, head);
                }
            }
        }
    }

    private void bind(Upstream server, HttpResponse head) {
        Cookie cookie = new DefaultCookie(lbCookie, idOf(server));
        cookie.setPath("/");
        cookie.setMaxAge(maxAgeSeconds);
        cookie.setHttpOnly(true);
        head.headers().add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(cookie));
    }

    private static boolean setsCookie(HttpResponse head, String name) {
        for (String header : head.headers().getAll(HttpHeaderNames.SET_COOKIE)) {
            Cookie cookie = ClientCookieDecoder.LAX.decode(header);
            if (cookie != null && cookie.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Opaque and stable: a hash of the server's URL, so the cookie does not reveal the address. */
    static String idOf(Upstream server) {
        return Long.toHexString(HashRing.hash64(server.url()));
    }
}
