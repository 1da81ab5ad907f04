package io.edgegate.dataplane.filter.remotefilter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.http.HeaderKeys;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.dataplane.upstream.UpstreamAddress;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.edgegate.spec.filter.remotefilter.RemoteFilterSpec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.URI;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends the request and the response so far, as Easegress's JSON context, to the remote service
 * over the node's upstream connections (never blocking an event loop), and takes back what it
 * answers. Bodies are read whole, up to Easegress's 64 KB; the service's answer up to 192 KB.
 */
final class RemoteFilterFilter implements Filter {

    private static final int MAX_BODY = 64 * 1024;
    private static final int MAX_CONTEXT = 3 * MAX_BODY;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RemoteFilterSpec spec;
    private final UpstreamClient client;
    private final UpstreamAddress address;
    private final String target;
    private final String authority;

    RemoteFilterFilter(RemoteFilterSpec spec, UpstreamClient client) {
        this.spec = spec;
        this.client = client;
        URI uri = spec.uri();
        this.address = UpstreamAddress.of(uri);
        this.target = UpstreamAddress.target(uri);
        this.authority = uri.getRawAuthority();
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        CompletableFuture<byte[]> requestBody = readWhole(context.requestBody(), context);
        return requestBody.thenCompose(reqBytes -> {
            context.replaceRequestBody(new FixedBody(Unpooled.wrappedBuffer(reqBytes)));
            Response current = context.response();
            CompletableFuture<byte[]> responseBody = current == null || current.tunnel() != null
                    ? CompletableFuture.completedFuture(null) : readWhole(current.body(), context);
            return responseBody.thenCompose(respBytes -> {
                if (respBytes != null) {
                    context.reviseResponse(new Response(current.head(), new FixedBody(Unpooled.wrappedBuffer(respBytes))));
                }
                return call(context, contextJson(context, reqBytes, current, respBytes));
            });
        }).handle((result, error) -> {
            if (error != null) {
                fail(context);
                return RemoteFilterSpec.RESULT_FAILED;
            }
            return result;
        });
    }

    private CompletableFuture<byte[]> readWhole(BodyStream body, RequestContext context) {
        if (body.contentLength() > MAX_BODY) {
            body.discard();
            return CompletableFuture.failedFuture(new IOException("larger than " + MAX_BODY + "B"));
        }
        return BodyCollector.collectBytes(body, context.alloc(), MAX_BODY);
    }

    private CompletableFuture<String> call(RequestContext context, byte[] json) {
        HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target);
        post.headers().set(HttpHeaderNames.HOST, authority).set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
        CompletableFuture<UpstreamResponse> sent = client.send(context.eventLoop(), address, post, new FixedBody(Unpooled.wrappedBuffer(json)));
        if (!spec.timeout().isZero()) {
            var timer = context.eventLoop().schedule(() -> sent.completeExceptionally(new TimeoutException("remote filter timed out")),
                    spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
            sent.whenComplete((r, e) -> timer.cancel(false));
        }
        return sent.thenCompose(answer -> {
            int status = answer.head().status().code();
            if (status >= 300) {
                answer.body().discard();
                return CompletableFuture.failedFuture(new IOException("not 2xx status code: " + status));
            }
            return BodyCollector.collectBytes(answer.body(), context.alloc(), MAX_CONTEXT).thenApply(bytes -> {
                apply(context, bytes);
                return status == 205 ? RemoteFilterSpec.RESULT_RESPONSE_ALREADY : SUCCESS;
            });
        });
    }

    /** Easegress's context: {"request": {...}, "response": {...}}, bodies in base64 as Go encodes byte slices. */
    private static byte[] contextJson(RequestContext context, byte[] requestBody, Response response, byte[] responseBody) {
        HttpRequest request = context.request();
        ObjectNode root = JSON.createObjectNode();
        ObjectNode req = root.putObject("request");
        req.put("realIP", context.client() == null ? "" : context.client().getHostAddress());
        req.put("method", request.method().name());
        req.put("scheme", context.connection().scheme());
        req.put("host", request.headers().get(HttpHeaderNames.HOST, ""));
        String uri = request.uri();
        int query = uri.indexOf('?');
        req.put("path", RequestTarget.path(uri));
        req.put("query", query < 0 ? "" : uri.substring(query + 1));
        req.put("fragment", "");
        req.put("proto", request.protocolVersion().text());
        headers(req.putObject("header"), request.headers());
        req.put("body", Base64.getEncoder().encodeToString(requestBody));
        ObjectNode resp = root.putObject("response");
        resp.put("statusCode", response == null ? 200 : response.head().status().code());
        headers(resp.putObject("header"), response == null ? io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE : response.head().headers());
        if (responseBody == null) {
            resp.putNull("body");
        } else {
            resp.put("body", Base64.getEncoder().encodeToString(responseBody));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void headers(ObjectNode into, HttpHeaders headers) {
        for (Map.Entry<String, String> header : headers) {
            JsonNode existing = into.get(HeaderKeys.canonical(header.getKey()));
            ArrayNode values = existing instanceof ArrayNode a ? a : into.putArray(HeaderKeys.canonical(header.getKey()));
            values.add(header.getValue());
        }
    }

    /** Takes back what the service answered: the request's method, path, query, headers and body; the response's too. */
    private static void apply(RequestContext context, byte[] answer) {
        JsonNode root;
        try {
            root = JSON.readTree(answer);
        } catch (IOException e) {
            throw new IllegalArgumentException("the remote filter's answer is not JSON: " + e.getMessage());
        }
        JsonNode req = root.path("request");
        JsonNode resp = root.path("response");
        if (!resp.isMissingNode() && !resp.isNull()) {
            int status = resp.path("statusCode").asInt(0);
            if (status < 200 || status >= 600) {
                throw new IllegalArgumentException("invalid status code: " + status);
            }
        }
        HttpRequest request = context.request();
        if (req.isObject()) {
            request.setMethod(HttpMethod.valueOf(req.path("method").asText(request.method().name())));
            String query = req.path("query").asText("");
            request.setUri(req.path("path").asText("/") + (query.isEmpty() ? "" : "?" + query));
            request.headers().clear();
            addHeaders(request.headers(), req.path("header"));
            byte[] body = decode(req.path("body"));
            context.requestBody().discard();
            context.replaceRequestBody(new FixedBody(Unpooled.wrappedBuffer(body)));
            request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        if (resp.isObject()) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(resp.path("statusCode").asInt()));
            Response current = context.response();
            if (current != null) {
                head.headers().set(current.head().headers());
                current.body().discard();
            }
            addHeaders(head.headers(), resp.path("header"));
            byte[] body = decode(resp.path("body"));
            head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            Response built = new Response(head, new FixedBody(Unpooled.wrappedBuffer(body)));
            if (current != null) {
                context.reviseResponse(built);
            } else {
                context.respond(built);
            }
            // As in Easegress, where every request has a response from the start: a later filter may answer instead.
            context.answerMayBeReplaced();
        }
    }

    private static void addHeaders(HttpHeaders into, JsonNode headers) {
        Iterator<Map.Entry<String, JsonNode>> fields = headers.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> header = fields.next();
            for (JsonNode value : header.getValue()) {
                into.add(header.getKey(), value.asText());
            }
        }
    }

    private static byte[] decode(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(body.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a body is not base64: " + e.getMessage());
        }
    }

    private static void fail(RequestContext context) {
        Response current = context.response();
        if (current == null) {
            context.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "remote filter failed");
        } else {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SERVICE_UNAVAILABLE);
            head.headers().set(current.head().headers());
            context.reviseResponse(new Response(head, current.body()));
        }
    }
}
