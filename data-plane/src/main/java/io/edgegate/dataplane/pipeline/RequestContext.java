package io.edgegate.dataplane.pipeline;

import io.edgegate.dataplane.http.PlainResponses;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;

/**
 * One request on its way through a pipeline: the client's request, where it came from, the
 * settings of the server that accepted it, and the response built so far. It lives on one
 * event loop and is not shared between threads. It owns the request and the response and
 * releases whatever it still holds when the exchange ends.
 */
public final class RequestContext {

    private final FullHttpRequest request;
    private final EventLoop eventLoop;
    private final ByteBufAllocator alloc;
    private final InetSocketAddress clientAddress;
    private final ServerSettings server;
    private FullHttpResponse response;

    public RequestContext(FullHttpRequest request, EventLoop eventLoop, ByteBufAllocator alloc,
                          InetSocketAddress clientAddress, ServerSettings server) {
        this.request = request;
        this.eventLoop = eventLoop;
        this.alloc = alloc;
        this.clientAddress = clientAddress;
        this.server = server;
    }

    public FullHttpRequest request() {
        return request;
    }

    public EventLoop eventLoop() {
        return eventLoop;
    }

    public ByteBufAllocator alloc() {
        return alloc;
    }

    public InetSocketAddress clientAddress() {
        return clientAddress;
    }

    public String clientIp() {
        return clientAddress.getAddress() == null ? clientAddress.getHostString() : clientAddress.getAddress().getHostAddress();
    }

    public ServerSettings server() {
        return server;
    }

    /** Sets the response, replacing (and releasing) any earlier one. */
    public void respond(FullHttpResponse newResponse) {
        if (response != null && response != newResponse) {
            response.release();
        }
        response = newResponse;
    }

    public void respond(HttpResponseStatus status, String message) {
        respond(PlainResponses.of(alloc, status, message));
    }

    /**
     * Hands the response over to the caller (the connection writes it). A pipeline that set
     * none answers 200 with an empty body, as Easegress does.
     */
    public FullHttpResponse takeResponse() {
        FullHttpResponse out = response;
        response = null;
        if (out == null) {
            out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, alloc.buffer(0));
            out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        return out;
    }

    /** Releases the request and any response not taken. */
    public void release() {
        request.release();
        if (response != null) {
            response.release();
            response = null;
        }
    }
}
