package io.edgegate.dataplane.filter.websocketproxy;

import io.edgegate.dataplane.filter.proxy.PoolSelector;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.dataplane.pipeline.TunnelLimits;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.edgegate.spec.filter.websocketproxy.WebSocketProxySpec;
import io.edgegate.spec.filter.websocketproxy.WebSocketProxySpec.PoolOptions;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Proxies WebSocket handshakes to the chosen pool with a Proxy, then holds the tunnel to the
 * pool's message limits. A request that is no WebSocket handshake is answered 400, and a
 * cross-origin handshake whose Origin no {@code originPatterns} entry matches 403, both
 * {@code clientError}, as Easegress's accept step refuses them. Extensions (compression) are not
 * offered upstream, so the limits hold for messages as they are read.
 */
final class WebSocketProxyFilter implements Filter {

    private final Filter proxy;
    private final PoolOptions mainOptions;
    private final List<PoolSelector> selectors;
    private final List<PoolOptions> candidateOptions;

    WebSocketProxyFilter(WebSocketProxySpec spec, Filter proxy) {
        this.proxy = proxy;
        this.mainOptions = spec.mainOptions();
        this.selectors = spec.proxy().candidatePools().stream().map(p -> new PoolSelector(p.filter().orElseThrow())).toList();
        this.candidateOptions = spec.candidateOptions();
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        HttpHeaders headers = context.request().headers();
        if (!handshakeChecked(context, headers)) {
            return CompletableFuture.completedFuture(ProxySpec.RESULT_CLIENT_ERROR);
        }
        PoolOptions options = optionsFor(context);
        // As Easegress's websocket library: insecureSkipVerify turns the origin check off.
        if (!options.insecureSkipVerify() && !originAllowed(headers, options)) {
            context.respond(HttpResponseStatus.FORBIDDEN, "request Origin not authorized");
            return CompletableFuture.completedFuture(ProxySpec.RESULT_CLIENT_ERROR);
        }
        TunnelLimits limits = new TunnelLimits(options.clientMaxMsgSize(), options.serverMaxMsgSize());
        // No extension is negotiated, as Easegress dials without compression: the message limits count frame
        // payloads, and a permessage-deflate frame of a kilobyte can inflate to megabytes past them.
        headers.remove(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        return proxy.handle(context).thenApply(result -> {
            Response response = context.response();
            if (response != null && response.tunnel() != null && !limits.isNone()) {
                context.reviseResponse(response.withLimits(limits));
            }
            return result;
        });
    }

    /**
     * The handshake checks of the library Easegress accepts clients with, and its answers: no Upgrade or Connection:
     * upgrade is 426 (saying what to send), another method than GET 405, a version other than 13 or a key that is not
     * 16 bytes of base64 400. Returns whether the handshake passed; otherwise the answer is set.
     */
    private static boolean handshakeChecked(RequestContext context, HttpHeaders headers) {
        if (!headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                || !headers.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            context.respond(HttpResponseStatus.UPGRADE_REQUIRED, "WebSocket protocol violation: expected a WebSocket handshake "
                    + "(Connection: Upgrade, Upgrade: websocket)");
            context.response().head().headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                    .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
            return false;
        }
        if (!context.request().method().equals(io.netty.handler.codec.http.HttpMethod.GET)) {
            context.respond(HttpResponseStatus.METHOD_NOT_ALLOWED, "WebSocket protocol violation: handshake request method is not GET but "
                    + context.request().method());
            return false;
        }
        if (!"13".equals(headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            context.respond(HttpResponseStatus.BAD_REQUEST, "unsupported WebSocket protocol version (only 13 is supported)");
            context.response().head().headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
            return false;
        }
        java.util.List<String> keys = headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (keys.size() != 1 || !isKey(keys.get(0).trim())) {
            context.respond(HttpResponseStatus.BAD_REQUEST, "WebSocket protocol violation: Sec-WebSocket-Key must be one 16 byte "
                    + "base64 encoded string");
            return false;
        }
        return true;
    }

    private static boolean isKey(String key) {
        try {
            return java.util.Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private PoolOptions optionsFor(RequestContext context) {
        for (int i = 0; i < selectors.size(); i++) {
            if (selectors.get(i).selects(context)) {
                return candidateOptions.get(i);
            }
        }
        return mainOptions;
    }

    /**
     * A same-origin handshake, or one without Origin, is let in; another origin must match a pattern. An origin without
     * a host ({@code null}, from a sandboxed frame or a file) has an empty one, which {@code *} matches, as in Go.
     */
    private static boolean originAllowed(HttpHeaders headers, PoolOptions options) {
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return true;
        }
        String originHost;
        try {
            originHost = URI.create(origin).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (originHost == null) {
            return options.allowsOrigin("");
        }
        if (originHost.equalsIgnoreCase(headers.get(HttpHeaderNames.HOST, ""))) {
            return true;
        }
        return options.allowsOrigin(originHost);
    }

    @Override
    public List<String> status() {
        return proxy.status();
    }

    @Override
    public void close() {
        proxy.close();
    }
}
