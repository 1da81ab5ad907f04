package io.edgegate.dataplane.upstream;

import io.edgegate.dataplane.http.BodyStream;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponse;

/**
 * An upstream's answer: its head and its body, streamed. After a 101 to an upgrade request,
 * {@code upgraded} is the connection, handed over to carry raw bytes.
 */
public record UpstreamResponse(HttpResponse head, BodyStream body, Channel upgraded) {
}
