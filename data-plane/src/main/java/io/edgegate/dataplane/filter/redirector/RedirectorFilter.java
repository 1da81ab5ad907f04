package io.edgegate.dataplane.filter.redirector;

import com.google.re2j.Pattern;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.spec.filter.redirector.RedirectorSpec;
import io.edgegate.spec.server.Regexps;
import io.edgegate.spec.server.RewriteTemplate;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Answers a matching request with a redirect to its rewritten URL; lets others pass. */
final class RedirectorFilter implements Filter {

    private static final CompletableFuture<String> PASS = CompletableFuture.completedFuture(SUCCESS);
    private static final CompletableFuture<String> REDIRECTED = CompletableFuture.completedFuture(RedirectorSpec.RESULT_REDIRECTED);

    private final Pattern match;
    private final RewriteTemplate replacement;
    private final RedirectorSpec.MatchPart part;
    private final HttpResponseStatus status;
    /** Shared by every answer, read only. */
    private final byte[] body;

    RedirectorFilter(RedirectorSpec spec) {
        this.match = Regexps.compile(spec.match());
        this.replacement = RewriteTemplate.parse(spec.replacement());
        this.part = spec.matchPart();
        this.status = HttpResponseStatus.valueOf(spec.statusCode());
        this.body = status.reasonPhrase().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        HttpRequest request = context.request();
        String uri = RequestTarget.withPath(request.uri(), RequestTarget.path(request.uri()));
        String subject = switch (part) {
            case URI -> uri;
            // Go's URL.Path, which Easegress matches: decoded (/%6Fld is /old).
            case PATH -> RequestTarget.decodedPath(RequestTarget.path(uri));
            case FULL -> context.connection().scheme() + "://" + request.headers().get(HttpHeaderNames.HOST, "") + uri;
        };
        if (!match.matcher(subject).find()) {
            return PASS;
        }
        String location = replacement.replaceAll(match, subject);
        if (location.equals(subject)) {
            // As Easegress: a replacement that changes nothing is no redirect (a canonical URL sent to itself
            // would loop), and the next filter or Redirector has the request.
            return PASS;
        }
        // As Easegress, the Location is the replaced part alone: with matchPart path, a query the replacement
        // wants is written in it (replacement: 'http://example.com/display?user=$1').
        // The status's reason phrase as the body, as Easegress answers ("Moved Permanently").
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        head.headers().set(HttpHeaderNames.LOCATION, escaped(location));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        context.respond(head, new FixedBody(Unpooled.wrappedBuffer(body)));
        return REDIRECTED;
    }

    /**
     * The Location as a header may carry it: what the decoded path matched may hold spaces, controls and non-ASCII
     * characters, which go out percent-encoded as UTF-8 (Go writes the bytes; a header here holds ASCII only).
     */
    private static String escaped(String location) {
        return io.edgegate.dataplane.http.PercentEncoding.escapeUnsafe(location, "");
    }
}
