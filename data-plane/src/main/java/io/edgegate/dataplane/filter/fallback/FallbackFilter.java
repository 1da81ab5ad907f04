package io.edgegate.dataplane.filter.fallback;

import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.spec.filter.fallback.FallbackSpec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Replaces the answer so far with the mock one, keeping the answer's other headers (as Easegress
 * changes the response in place); with no answer yet it makes one. The body is encoded once.
 */
public final class FallbackFilter implements Filter {

    private static final CompletableFuture<String> FALLBACK = CompletableFuture.completedFuture(FallbackSpec.RESULT_FALLBACK);

    private final FallbackSpec spec;
    private final byte[] body;
    private final HttpResponseStatus status;
    /** The type Go's server would give the mock body, for an answer that has none. */
    private final String sniffedType;

    public FallbackFilter(FallbackSpec spec) {
        this.spec = spec;
        this.body = spec.mockBody().getBytes(StandardCharsets.UTF_8);
        this.status = HttpResponseStatus.valueOf(spec.mockCode());
        this.sniffedType = io.edgegate.dataplane.http.ContentSniffer.of(body);
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        Response current = context.response();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        if (current != null) {
            head.headers().set(current.head().headers());
            // The old body goes: its framing and encoding go with it.
            head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            head.headers().remove(HttpHeaderNames.CONTENT_ENCODING);
            current.body().discard();
        }
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        spec.mockHeaders().forEach(head.headers()::set);
        if (sniffedType != null && !head.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
            // As Go's server types a body sent without a Content-Type (Easegress answers through it).
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, sniffedType);
        }
        Response fallback = new Response(head, new FixedBody(Unpooled.wrappedBuffer(body)));
        if (current != null) {
            context.reviseResponse(fallback);
        } else {
            context.respond(fallback);
        }
        return FALLBACK;
    }
}
