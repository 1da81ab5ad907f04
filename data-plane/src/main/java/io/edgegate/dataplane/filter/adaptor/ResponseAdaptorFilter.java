package io.edgegate.dataplane.filter.adaptor;

import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.spec.filter.adaptor.ResponseAdaptorSpec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Changes the answer's headers and body. Placed after the Proxy it edits the answer at
 * hand; placed before, it edits whatever answer the pipeline ends with.
 */
final class ResponseAdaptorFilter implements Filter {

    private static final CompletableFuture<String> DONE = CompletableFuture.completedFuture(SUCCESS);

    private final ResponseAdaptorSpec spec;

    ResponseAdaptorFilter(ResponseAdaptorSpec spec) {
        this.spec = spec;
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        HttpRequest request = context.request();
        HeaderEditor headers = HeaderEditor.render(spec.header(), context, request);
        Response current = context.response();
        if (current == null) {
            context.beforeResponse(head -> headers.applyTo(head.headers()));
        } else {
            headers.applyTo(current.head().headers());
        }
        spec.body().ifPresent(template -> {
            Response response = context.response();
            if (response == null || response.tunnel() != null) {
                return;
            }
            byte[] body = TemplateRenderer.render(template, context, request).getBytes(StandardCharsets.UTF_8);
            HttpResponse head = response.head();
            head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            head.headers().remove(HttpHeaderNames.CONTENT_ENCODING);
            head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            response.body().discard();
            context.reviseResponse(new Response(head, new FixedBody(Unpooled.wrappedBuffer(body))));
        });
        return DONE;
    }
}
