package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.HopByHop;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;

/** The request as it leaves for the upstream: origin-form target, clean headers, our framing. */
final class ForwardedRequest {

    private ForwardedRequest() {
    }

    static FullHttpRequest build(RequestContext context, Upstream server) {
        FullHttpRequest in = context.request();
        FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, in.method(), originForm(in.uri()),
                in.content().retainedDuplicate());
        HttpHeaders headers = out.headers();
        headers.set(in.headers());
        HopByHop.strip(headers);
        // The body is complete here, so 100-continue has been answered and the length is known.
        headers.remove(HttpHeaderNames.EXPECT);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
        if (!server.keepHost() || !in.headers().contains(HttpHeaderNames.HOST)) {
            headers.set(HttpHeaderNames.HOST, server.authority());
        }
        if (context.server().xForwardedFor()) {
            String previous = in.headers().get("X-Forwarded-For");
            headers.set("X-Forwarded-For", previous == null ? context.clientIp() : previous + ", " + context.clientIp());
        }
        return out;
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
