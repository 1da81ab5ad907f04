package io.edgegate.dataplane.filter.grpcproxy;

import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A Proxy for gRPC calls. The upstream's answer (messages, trailers, its own status) passes as
 * it is; when the proxy cannot complete a call itself (no server, connection refused, no answer
 * in time, an open circuit) the client gets what a gRPC client understands: a trailers-only
 * answer with a {@code grpc-status}. A request that is not gRPC is refused with 415, as gRPC
 * servers refuse it.
 */
final class GrpcProxyFilter implements Filter {

    private final Filter proxy;

    GrpcProxyFilter(Filter proxy) {
        this.proxy = proxy;
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        String type = context.request().headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !type.startsWith("application/grpc") || type.startsWith("application/grpc-web")) {
            context.ensureUnanswered();
            context.respond(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "a GRPCProxy takes gRPC calls (content-type application/grpc)");
            return CompletableFuture.completedFuture(ProxySpec.RESULT_CLIENT_ERROR);
        }
        return proxy.handle(context).thenApply(result -> {
            if (!result.isEmpty() && !result.equals(ProxySpec.RESULT_FAILURE_CODE) && context.response() != null) {
                Response made = context.response();
                GrpcStatus status = GrpcStatus.forProxyAnswer(made.head().status().code(), result);
                made.body().discard();
                context.reviseResponse(new Response(trailersOnly(status, context.request().protocolVersion()),
                        new FixedBody(Unpooled.EMPTY_BUFFER)));
            }
            if (result.equals(ProxySpec.RESULT_TIMEOUT)) {
                return ProxySpec.RESULT_SERVER_ERROR; // Easegress's GRPCProxy has no timeout result: a late call is a server error
            }
            return result.equals(ProxySpec.RESULT_FAILURE_CODE) ? Filter.SUCCESS : result;
        });
    }

    private static HttpResponse trailersOnly(GrpcStatus status, HttpVersion version) {
        HttpResponse head = new DefaultHttpResponse(version, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc")
                .set("grpc-status", Integer.toString(status.code()))
                .set("grpc-message", status.percentEncodedMessage());
        return head;
    }

    @Override
    public List<String> status() {
        return proxy.status();
    }

    @Override
    public void close() {
        proxy.close();
    }
}
