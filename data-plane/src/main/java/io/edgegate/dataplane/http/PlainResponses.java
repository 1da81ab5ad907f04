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
        String body = status.code() + " " + status.reasonPhrase() + (message.isEmpty() ? "" : ": " + message) + "\n";
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                ByteBufUtil.writeUtf8(alloc, body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }
}
