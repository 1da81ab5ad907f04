package io.edgegate.dataplane.filter.redirectorv2;

import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.redirectorv2.RedirectorV2Spec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers with a redirect to the changed URL. Differences from Easegress, deliberately: with a
 * {@code scheme} and no {@code hostname}, the request's Host is kept (Easegress writes
 * "https:///path", which no client can follow).
 */
final class RedirectorV2Filter implements Filter {

    private static final CompletableFuture<String> PASS = CompletableFuture.completedFuture(SUCCESS);
    private static final CompletableFuture<String> REDIRECTED = CompletableFuture.completedFuture(RedirectorV2Spec.RESULT_REDIRECTED);

    private final RedirectorV2Spec spec;
    private final HttpResponseStatus status;

    RedirectorV2Filter(RedirectorV2Spec spec) {
        this.spec = spec;
        this.status = HttpResponseStatus.valueOf(spec.statusCode());
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        HttpRequest request = context.request();
        String uri = request.uri();
        int queryAt = uri.indexOf('?');
        String path = queryAt < 0 ? uri : uri.substring(0, queryAt);
        String query = queryAt < 0 ? "" : uri.substring(queryAt);
        String newPath = path;
        if (spec.path().isPresent()) {
            RedirectorV2Spec.PathModifier modifier = spec.path().get();
            if (modifier.fullPath()) {
                newPath = modifier.replacement();
            } else {
                String prefix = context.routePathPrefix();
                if (!prefix.isEmpty() && path.startsWith(prefix)) {
                    newPath = modifier.replacement() + path.substring(prefix.length());
                }
            }
        }
        String scheme = spec.scheme().orElse("");
        String host = spec.hostname().orElse(scheme.isEmpty() ? "" : request.headers().get(HttpHeaderNames.HOST, ""));
        String location = (scheme.isEmpty() ? host.isEmpty() ? "" : "//" : scheme + "://") + host + newPath + query;
        if (location.equals(uri)) {
            return PASS;
        }
        // Easegress's body: the status text alone ("Found").
        byte[] body = status.reasonPhrase().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        head.headers().set(HttpHeaderNames.LOCATION, location).set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        context.respond(head, new FixedBody(Unpooled.wrappedBuffer(body)));
        return REDIRECTED;
    }
}
