package io.edgegate.dataplane.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Short text responses the proxy produces itself (404, 502, 503 …). */
public final class PlainResponses {

    private PlainResponses() {
    }

    public static FullHttpResponse of(ByteBufAllocator alloc, HttpResponseStatus status, String message) {
        String body = body(status, message);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                ByteBufUtil.writeUtf8(alloc, body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }

    /** The body's length in bytes, as {@link #of} writes it. */
    public static long bodyLength(HttpResponseStatus status, String message) {
        return body(status, message).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static String body(HttpResponseStatus status, String message) {
        return status.code() + " " + status.reasonPhrase() + (message.isEmpty() ? "" : ": " + message) + "\n";
    }
}
