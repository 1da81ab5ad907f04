package io.edgegate.dataplane.filter.adaptor;

import io.edgegate.dataplane.filter.builder.BuilderRun;
import io.edgegate.dataplane.filter.builder.BuiltMessages;
import io.edgegate.dataplane.http.CodedBody;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.filter.adaptor.ResponseAdaptorSpec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.compression.JdkZlibDecoder;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Changes the answer's headers and body. Placed after the Proxy it edits the answer at hand.
 * Placed before any answer, it ends a v2 Pipeline's flow with {@code responseNotFound} (Easegress
 * v2 checks for the answer first), while in a v1 HTTPPipeline, where Easegress's context always
 * holds an answer, it edits whatever answer the pipeline ends with.
 */
final class ResponseAdaptorFilter implements Filter {

    private static final CompletableFuture<String> DONE = CompletableFuture.completedFuture(SUCCESS);
    private static final CompletableFuture<String> RESPONSE_NOT_FOUND =
            CompletableFuture.completedFuture(ResponseAdaptorSpec.RESULT_RESPONSE_NOT_FOUND);
    /** The most one decode step may inflate to: CodedBody feeds 2 KB slices, which inflate to ~2 MB at most. */
    private static final int MAX_DECODED_CHUNK = 4 * 1024 * 1024;

    private final ResponseAdaptorSpec spec;
    /** Easegress v2's template, rendered per request into a header and body that replace the static ones; null without one. */
    private final BuilderRun template;
    private final boolean inV1Pipeline;

    ResponseAdaptorFilter(ResponseAdaptorSpec spec, boolean inV1Pipeline) {
        this.spec = spec;
        this.inV1Pipeline = inV1Pipeline;
        this.template = spec.template() == null ? null
                : new BuilderRun(ResponseAdaptorSpec.KIND, spec.name(), spec.template());
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        if (!inV1Pipeline && context.response() == null) {
            return RESPONSE_NOT_FOUND;
        }
        if (template == null) {
            return apply(spec, context);
        }
        return template.runAsync(context, rendered -> {
            ResponseAdaptorSpec merged;
            try {
                merged = spec.withRendered(rendered);
            } catch (SpecException | IllegalArgumentException e) {
                throw new BuiltMessages.BuildException(e.getMessage());
            }
            return apply(merged, context);
        });
    }

    private CompletionStage<String> apply(ResponseAdaptorSpec spec, RequestContext context) {
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
        if (spec.compressGzip() || spec.decompressGzip()) {
            Response response = context.response();
            if (response != null && response.tunnel() == null) {
                recode(context, response);
            }
        }
        return DONE;
    }

    /** Easegress's compress (unless some Content-Encoding is gzip already) or decompress (when it is exactly gzip). */
    private void recode(RequestContext context, Response response) {
        HttpHeaders headers = response.head().headers();
        if (spec.compressGzip() && headers.getAll(HttpHeaderNames.CONTENT_ENCODING).stream().noneMatch(e -> e.contains("gzip"))) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            headers.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
            context.reviseResponse(new Response(response.head(),
                    CodedBody.encoded(response.body(), ZlibCodecFactory.newZlibEncoder(ZlibWrapper.GZIP))));
        } else if (spec.decompressGzip() && "gzip".equals(headers.get(HttpHeaderNames.CONTENT_ENCODING))) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            headers.remove(HttpHeaderNames.CONTENT_ENCODING);
            // Bounded like the request side's decoding: a small answer must not inflate without end.
            context.reviseResponse(new Response(response.head(), CodedBody.decoded(response.body(),
                    new JdkZlibDecoder(ZlibWrapper.GZIP, MAX_DECODED_CHUNK))));
        }
    }
}
