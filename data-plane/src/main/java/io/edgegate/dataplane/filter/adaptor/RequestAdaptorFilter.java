package io.edgegate.dataplane.filter.adaptor;

import io.edgegate.dataplane.filter.builder.BuilderRun;
import io.edgegate.dataplane.filter.builder.BuiltMessages;
import io.edgegate.dataplane.http.CodedBody;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.filter.adaptor.RequestAdaptorSpec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.time.Clock;

/** Rewrites the request's method, Host, path, headers and body before the next filter sees it. */
final class RequestAdaptorFilter implements Filter {

    private static final CompletableFuture<String> DONE = CompletableFuture.completedFuture(SUCCESS);

    private final RequestAdaptorSpec spec;
    private final Changes changes;
    /** Easegress v2's template, rendered per request into changes that replace the static ones; null without one. */
    private final BuilderRun template;
    /** Signs the request last; null without {@code sign}. */
    private final RequestSigner signer;

    /** An adaptor's changes with its method and path change made ready once. */
    private record Changes(RequestAdaptorSpec spec, HttpMethod method, PathAdapter path) {
        static Changes of(RequestAdaptorSpec spec) {
            return new Changes(spec, spec.method().map(HttpMethod::valueOf).orElse(null), new PathAdapter(spec.path()));
        }
    }

    RequestAdaptorFilter(RequestAdaptorSpec spec) {
        this.spec = spec;
        this.changes = Changes.of(spec);
        this.template = spec.template() == null ? null
                : new BuilderRun(RequestAdaptorSpec.KIND, spec.name(), spec.template());
        this.signer = spec.sign().map(sign -> new RequestSigner(sign, Clock.systemUTC())).orElse(null);
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        CompletionStage<String> changed = change(context);
        if (signer == null) {
            return changed;
        }
        return changed.thenCompose(result -> result.isEmpty() ? signer.sign(context) : CompletableFuture.completedFuture(result));
    }

    private CompletionStage<String> change(RequestContext context) {
        if (template == null) {
            return apply(changes, context);
        }
        return template.runAsync(context, rendered -> {
            RequestAdaptorSpec merged;
            try {
                merged = spec.withRendered(rendered);
            } catch (SpecException | IllegalArgumentException e) {
                throw new BuiltMessages.BuildException(e.getMessage());
            }
            return apply(Changes.of(merged), context);
        });
    }

    private CompletionStage<String> apply(Changes changes, RequestContext context) {
        RequestAdaptorSpec spec = changes.spec();
        HttpMethod method = changes.method();
        HttpRequest request = context.request();
        // Every value is read from the request as it arrived here, before any change below.
        String host = spec.host().map(h -> TemplateRenderer.render(h, context, request)).orElse(null);
        HeaderEditor headers = HeaderEditor.render(spec.header(), context, request);
        byte[] body = spec.body().map(b -> TemplateRenderer.render(b, context, request).getBytes(StandardCharsets.UTF_8))
                .orElse(null);
        if (method != null) {
            request.setMethod(method);
        }
        if (host != null) {
            request.headers().set(HttpHeaderNames.HOST, host);
        }
        if (!spec.path().isNone()) {
            // As Easegress: the decoded path (Go's URL.Path) is adapted, so /%61pi/v1 loses an /api/v1 prefix too, and
            // goes on escaped as Go escapes it; a path without escapes is its own decoded form.
            String raw = RequestTarget.path(request.uri());
            String decoded = RequestTarget.decodedPath(raw);
            String adapted = raw.equals(decoded) ? changes.path().adapt(raw) : RequestTarget.encodedPath(changes.path().adapt(decoded));
            request.setUri(RequestTarget.withPath(request.uri(), adapted));
        }
        headers.applyTo(request.headers());
        if (body != null) {
            context.requestBody().discard();
            context.replaceRequestBody(new FixedBody(Unpooled.wrappedBuffer(body)));
            request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            // As Easegress: the new body is what it says, whatever encoding the client's had.
            request.headers().remove(HttpHeaderNames.CONTENT_ENCODING);
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        } else if (spec.decompressGzip() && request.headers().containsValue(HttpHeaderNames.CONTENT_ENCODING, "gzip", true)) {
            return GzipRequestBody.decode(context);
        }
        if (spec.compressGzip()) {
            compress(context, request);
        }
        return DONE;
    }

    /**
     * Easegress's compress: a body with no Content-Encoding yet is gzipped as it streams upstream
     * (sent chunked). A request without a body is left without one.
     */
    private static void compress(RequestContext context, HttpRequest request) {
        if (request.headers().contains(HttpHeaderNames.CONTENT_ENCODING) || context.requestBody().contentLength() == 0) {
            return;
        }
        context.replaceRequestBody(CodedBody.encoded(context.requestBody(), ZlibCodecFactory.newZlibEncoder(ZlibWrapper.GZIP)));
        request.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        request.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
    }
}
