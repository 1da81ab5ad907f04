package io.edgegate.dataplane.pipeline;

import io.edgegate.dataplane.http.BodyStream;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What a pipeline answers: a response head and its body, streamed. When {@code tunnel} is set
 * the head is a 101 Switching Protocols and, once it is written, the client connection and
 * the tunnel channel (the upstream) relay raw bytes to each other (WebSocket), within
 * {@code limits}.
 */
public record Response(HttpResponse head, BodyStream body, Channel tunnel, TunnelLimits limits) {

    public Response(HttpResponse head, BodyStream body, Channel tunnel) {
        this(head, body, tunnel, TunnelLimits.NONE);
    }

    public Response(HttpResponse head, BodyStream body) {
        this(head, body, null, TunnelLimits.NONE);
    }

    /** This tunnel, relaying WebSocket messages of at most these sizes. */
    public Response withLimits(TunnelLimits tunnelLimits) {
        return new Response(head, body, tunnel, tunnelLimits);
    }
}
