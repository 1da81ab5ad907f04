package io.edgegate.dataplane.filter.apiaggregator;

import io.edgegate.dataplane.filter.adaptor.PathAdapter;
import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.Pipeline;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.spec.filter.apiaggregator.ApiAggregatorSpec;
import io.edgegate.template.GoJson;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Calls its pipelines in this node (all at once, on the request's event loop) with copies of
 * the request, and answers with their JSON answers merged or listed. Answers are taken in the
 * order the pipelines are listed (Easegress takes them in a map's random order).
 */
final class ApiAggregatorFilter implements Filter {

    /** An aggregator calling pipelines that aggregate: deep enough to stop a pipeline that calls itself. */
    private static final int MAX_DEPTH = 4;

    private final ApiAggregatorSpec spec;
    private final List<PathAdapter> paths;

    ApiAggregatorFilter(ApiAggregatorSpec spec) {
        this.spec = spec;
        this.paths = spec.pipelines().stream().map(t -> new PathAdapter(t.path())).toList();
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        if (context.callDepth() >= MAX_DEPTH) {
            return fail(context, HttpResponseStatus.valueOf(508), null);
        }
        BodyStream body = context.requestBody();
        if (body.contentLength() > spec.maxBodyBytes()) {
            body.discard();
            return fail(context, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, null);
        }
        return BodyCollector.collectBytes(body, context.alloc(), spec.maxBodyBytes()).handle((bytes, error) -> error == null ? bytes : null)
                .thenCompose(bytes -> {
                    if (bytes == null) {
                        return fail(context, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, null);
                    }
                    context.replaceRequestBody(new FixedBody(Unpooled.wrappedBuffer(bytes)));
                    return aggregate(context, bytes);
                });
    }

    private CompletableFuture<String> aggregate(RequestContext context, byte[] body) {
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        Map<RequestContext, CompletableFuture<Void>> calls = new java.util.IdentityHashMap<>();
        for (int i = 0; i < spec.pipelines().size(); i++) {
            ApiAggregatorSpec.Target target = spec.pipelines().get(i);
            Pipeline pipeline = context.pipeline(target.name());
            if (pipeline == null) {
                answers.add(CompletableFuture.completedFuture(null));
                continue;
            }
            RequestContext call = context.subRequest(copy(context.request(), target, paths.get(i), body.length),
                    target.disableBody() ? BodyStream.EMPTY : new FixedBody(Unpooled.wrappedBuffer(body)));
            CompletableFuture<Void> run = pipeline.run(call);
            calls.put(call, run);
            answers.add(run.handle((done, error) -> error == null ? call.takeResponse() : null)
                    .thenCompose(response -> okBody(call, response)));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new));
        if (!spec.timeout().isZero()) {
            var timer = context.eventLoop().schedule(() -> {
                // Calls still running are given up: their upstream requests are cancelled.
                calls.forEach((call, run) -> {
                    if (!run.isDone()) {
                        call.abort();
                    }
                });
                answers.forEach(a -> a.complete(null));
            }, spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
            all.whenComplete((v, e) -> timer.cancel(false));
        }
        return all.thenCompose(v -> answer(context, answers.stream().map(CompletableFuture::join).toList()));
    }

    /** The body of a 200 answer, within the limit; null for any other answer (or none). */
    private CompletableFuture<byte[]> okBody(RequestContext call, Response response) {
        if (response == null || response.head().status().code() != 200 || response.tunnel() != null) {
            if (response != null) {
                response.body().discard();
            }
            return CompletableFuture.completedFuture(null);
        }
        return BodyCollector.collectBytes(response.body(), call.alloc(), spec.maxBodyBytes())
                .handle((bytes, error) -> error == null ? bytes : null);
    }

    private static HttpRequest copy(HttpRequest request, ApiAggregatorSpec.Target target, PathAdapter path, int bodyLength) {
        String uri = request.uri();
        if (!path.changesNothing()) {
            uri = RequestTarget.withPath(uri, path.adapt(RequestTarget.path(uri)));
        }
        HttpMethod method = target.method().map(HttpMethod::valueOf).orElse(request.method());
        HttpRequest copy = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        copy.headers().set(request.headers());
        copy.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        copy.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, target.disableBody() ? 0 : bodyLength);
        target.header().del().forEach(copy.headers()::remove);
        target.header().set().forEach((name, value) -> copy.headers().set(name, value.source()));
        target.header().add().forEach((name, value) -> copy.headers().add(name, value.source()));
        return copy;
    }

    private CompletableFuture<String> answer(RequestContext context, List<byte[]> bodies) {
        Map<String, Object> merged = new LinkedHashMap<>();
        List<Object> listed = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            byte[] body = bodies.get(i);
            if (body == null) {
                if (!spec.partialSucceed()) {
                    return fail(context, HttpResponseStatus.SERVICE_UNAVAILABLE, spec.pipelines().get(i).name());
                }
                continue;
            }
            Map<String, Object> object;
            try {
                object = object(body);
            } catch (IOException | IllegalArgumentException e) {
                // Easegress's "bad response" status: an answer that is not a JSON object.
                return fail(context, HttpResponseStatus.valueOf(599), null);
            }
            merged.putAll(object);
            listed.add(object);
        }
        byte[] json = GoJson.marshal(spec.mergeResponse() ? merged : listed).getBytes(StandardCharsets.UTF_8);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
        context.respond(head, new FixedBody(Unpooled.wrappedBuffer(json)));
        return CompletableFuture.completedFuture(SUCCESS);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(byte[] body) throws IOException {
        if (!(GoJson.unmarshal(body) instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return (Map<String, Object>) map;
    }

    /** A failure's answer: the status, and which pipeline failed (X-EG-Aggregator), as Easegress tells it. */
    private static CompletableFuture<String> fail(RequestContext context, HttpResponseStatus status, String failedPipeline) {
        var answer = io.edgegate.dataplane.http.PlainResponses.of(context.alloc(), status, "");
        if (failedPipeline != null) {
            answer.headers().set("X-EG-Aggregator", "failed-in-" + failedPipeline);
        }
        context.respond(answer);
        return CompletableFuture.completedFuture(ApiAggregatorSpec.RESULT_FAILED);
    }

}
