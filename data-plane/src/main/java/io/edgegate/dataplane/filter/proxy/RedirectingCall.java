package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.upstream.UpstreamAddress;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Follows the redirects an upstream answers, up to the Proxy's {@code maxRedirection}, with the
 * rules of Go's HTTP client that Easegress's Proxy uses: 301, 302 and 303 are followed with GET
 * (HEAD stays HEAD) and no body; 307 and 308 keep the method, and are passed to the client when
 * the request had a body (it cannot be sent again); credentials and cookies are not sent to
 * another host; one redirect too many fails the request. Only Location URLs of http and https
 * are followed.
 */
final class RedirectingCall implements UpstreamCall {

    /** The upstream kept redirecting past the limit. */
    static final class TooManyRedirects extends RuntimeException {
        TooManyRedirects(int max) {
            super("stopped after " + max + " redirects");
        }
    }

    private final int max;
    private final SendingCall sender;

    RedirectingCall(int max, SendingCall sender) {
        this.max = max;
        this.sender = sender;
    }

    @Override
    public CompletableFuture<UpstreamResponse> send(ProxyExchange exchange, Upstream server, BodyStream body) {
        HttpRequest request = exchange.context().request();
        boolean hadBody = body.contentLength() != 0;
        String uri = ForwardedRequest.originForm(request.uri());
        return sender.send(exchange, server, body)
                .thenCompose(response -> follow(exchange, server, request.method(), uri, hadBody, response, 0));
    }

    private CompletableFuture<UpstreamResponse> follow(ProxyExchange exchange, Upstream from, HttpMethod method, String uri,
                                                       boolean hadBody, UpstreamResponse response, int followed) {
        int code = response.head().status().code();
        String location = response.head().headers().get(HttpHeaderNames.LOCATION);
        boolean sameMethod = code == 307 || code == 308;
        if (location == null || response.upgraded() != null || !(sameMethod || code == 301 || code == 302 || code == 303)
                || sameMethod && hadBody) {
            return CompletableFuture.completedFuture(response);
        }
        URI target;
        try {
            target = URI.create(from.url() + uri).resolve(location.trim());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(response);
        }
        if (target.getHost() == null || !("http".equals(target.getScheme()) || "https".equals(target.getScheme()))) {
            return CompletableFuture.completedFuture(response);
        }
        response.body().discard();
        if (followed >= max) {
            return CompletableFuture.failedFuture(new TooManyRedirects(max));
        }
        Upstream next = Upstream.of(target);
        HttpMethod nextMethod = sameMethod || method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) ? method : HttpMethod.GET;
        String nextUri = UpstreamAddress.target(target);
        HttpRequest forwarded = ForwardedRequest.build(exchange.context(), next);
        forwarded.setMethod(nextMethod);
        forwarded.setUri(nextUri);
        HttpHeaders headers = forwarded.headers();
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        headers.remove(HttpHeaderNames.CONTENT_TYPE);
        if (!next.authority().equalsIgnoreCase(from.authority())) {
            headers.remove(HttpHeaderNames.AUTHORIZATION);
            headers.remove(HttpHeaderNames.COOKIE);
            headers.remove("Cookie2");
            headers.remove(HttpHeaderNames.WWW_AUTHENTICATE);
        }
        return sender.send(exchange, next, forwarded, BodyStream.EMPTY)
                .thenCompose(answer -> follow(exchange, next, nextMethod, nextUri, false, answer, followed + 1));
    }
}
