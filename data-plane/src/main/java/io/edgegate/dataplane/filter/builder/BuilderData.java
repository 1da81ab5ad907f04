package io.edgegate.dataplane.filter.builder;

import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.netty.handler.codec.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a builder's template works on, as Easegress prepares it: {@code .requests} and
 * {@code .responses} by namespace ({@code .req} and {@code .resp} for DEFAULT), {@code .data}
 * and {@code .namespace}. Bodies are read whole first (up to {@link #BODY_LIMIT}, Easegress's
 * default body limit), only by builders whose template reads a body, and kept so the request
 * can still be sent and the response still answered.
 */
public final class BuilderData {

    /** Bodies larger than this stay streams; a template then reads Easegress's "is a stream". */
    public static final long BODY_LIMIT = 4L * 1024 * 1024;

    private BuilderData() {
    }

    /** Reads every namespace's request and response body whole, one after another, on the request's event loop. */
    public static CompletableFuture<Void> readBodies(RequestContext context) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (String namespace : context.namespaceNames()) {
            chain = chain.thenCompose(v -> readRequest(context, namespace)).thenCompose(v -> readResponse(context, namespace));
        }
        return chain;
    }

    /** Reads the request body of {@code namespace} whole (kept and replayed). */
    public static CompletableFuture<Void> readRequest(RequestContext context, String namespace) {
        HttpRequest request = context.requestOf(namespace);
        if (request == null || context.requestBytesOf(namespace) != null) {
            return CompletableFuture.completedFuture(null);
        }
        BodyStream body = context.takeRequestBodyOf(namespace);
        if (body.contentLength() > BODY_LIMIT) {
            context.replaceRequestBodyOf(namespace, body);
            return CompletableFuture.completedFuture(null);
        }
        return BodyCollector.collectBytes(body, context.alloc(), BODY_LIMIT).thenAccept(bytes -> context.keepRequestBytes(namespace, bytes));
    }

    /** Reads the response body of {@code namespace} whole (kept and still answered). */
    public static CompletableFuture<Void> readResponse(RequestContext context, String namespace) {
        Response response = context.responseOf(namespace);
        if (response == null || context.responseBytesOf(namespace) != null || response.tunnel() != null
                || response.body().contentLength() > BODY_LIMIT) {
            return CompletableFuture.completedFuture(null);
        }
        return BodyCollector.collectBytes(response.body(), context.alloc(), BODY_LIMIT)
                .thenAccept(bytes -> context.keepResponseBytes(namespace, bytes));
    }


    /** The data map a template executes on. */
    public static Map<String, Object> of(RequestContext context) {
        Map<String, Object> requests = new LinkedHashMap<>();
        Map<String, Object> responses = new LinkedHashMap<>();
        List<String> names = context.namespaceNames();
        for (String namespace : names) {
            HttpRequest request = context.requestOf(namespace);
            if (request != null) {
                boolean client = namespace.equals(names.get(0));
                requests.put(namespace, new RequestView(request, client ? context.connection().scheme() : "",
                        client ? remoteAddress(context) : "", context.requestBytesOf(namespace), namespace));
            }
            Response response = context.responseOf(namespace);
            if (response != null) {
                responses.put(namespace, new ResponseView(response.head(), context.responseBytesOf(namespace), namespace));
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("req", requests.get(names.get(0)));
        data.put("resp", responses.get(names.get(0)));
        data.put("requests", requests);
        data.put("responses", responses);
        data.put("data", context.data());
        data.put("namespace", context.namespace());
        return data;
    }

    private static String remoteAddress(RequestContext context) {
        var address = context.clientAddress();
        String ip = context.clientIp();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + address.getPort();
    }
}
