package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.HopByHop;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * The request head as it leaves for the upstream: origin-form target, hop-by-hop headers
 * removed (an upgrade without a body keeps its Connection/Upgrade pair), the body framed by its length or
 * chunked, and headers that tell the upstream who asked: X-Forwarded-Proto, X-Forwarded-Host and
 * Forwarded (RFC 7239); X-Forwarded-For, when the server asks for it, the request carries already.
 */
final class ForwardedRequest {

    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");
    private static final AsciiString FORWARDED = AsciiString.cached("Forwarded");
    /**
     * Every name and value copied here was checked when the client's request was decoded, and
     * the names added are constants: checking them again per request is wasted work.
     */
    private static final HttpHeadersFactory CHECKED_ALREADY = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private ForwardedRequest() {
    }

    static HttpRequest build(RequestContext context, Upstream server) {
        HttpRequest in = context.request();
        HttpRequest out = new DefaultHttpRequest(HttpVersion.HTTP_1_1, in.method(), originForm(in.uri()), CHECKED_ALREADY);
        HttpHeaders headers = out.headers();
        headers.set(in.headers());
        // An upgrade takes effect only after its whole request (RFC 9110 §7.8), and a body sent with one would be
        // read by an upstream declining it as the start of the next request on the connection: with a body, the
        // hop is not upgraded (Upgrade is hop-by-hop, so a server may ignore it), the request is forwarded as it is.
        boolean upgrade = isUpgrade(in) && context.requestBodyLength() == 0;
        String upgradeTo = in.headers().get(HttpHeaderNames.UPGRADE);
        HopByHop.strip(headers);
        if (upgrade) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.UPGRADE, upgradeTo);
        }
        long length = context.requestBodyLength();
        if (length < 0) {
            HttpUtil.setTransferEncodingChunked(out, true);
        } else if (length > 0 || in.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setContentLength(out, length);
        } else {
            // No body, and the client framed none (a GET): neither is announced upstream.
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        }
        String clientHost = in.headers().get(HttpHeaderNames.HOST);
        if (!server.sendsClientHost() || clientHost == null) {
            headers.set(HttpHeaderNames.HOST, server.authority());
        }
        String clientIp = context.clientIp();
        String scheme = context.connection().scheme();
        headers.set(X_FORWARDED_PROTO, scheme);
        if (clientHost != null) {
            headers.set(X_FORWARDED_HOST, clientHost);
        }
        String forwarded = "for=" + forwardedNode(clientIp) + (clientHost == null ? "" : ";host=\"" + clientHost + "\"")
                + ";proto=" + scheme;
        String previousForwarded = in.headers().get(FORWARDED);
        headers.set(FORWARDED, previousForwarded == null ? forwarded : previousForwarded + ", " + forwarded);
        return out;
    }

    static boolean isUpgrade(HttpRequest request) {
        return request.headers().contains(HttpHeaderNames.UPGRADE)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** RFC 7239 quotes IPv6 addresses, in brackets. */
    private static String forwardedNode(String ip) {
        return ip.contains(":") ? "\"[" + ip + "]\"" : ip;
    }

    /** {@code http://host/path?q} (absolute form, as sent to proxies) becomes {@code /path?q}. */
    static String originForm(String uri) {
        if (uri.startsWith("/")) {
            return uri;
        }
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return uri;
        }
        int path = uri.indexOf('/', scheme + 3);
        int query = uri.indexOf('?', scheme + 3);
        if (path < 0 || (query >= 0 && query < path)) {
            return query < 0 ? "/" : "/" + uri.substring(query);
        }
        return uri.substring(path);
    }
}
