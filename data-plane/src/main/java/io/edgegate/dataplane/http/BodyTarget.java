package io.edgegate.dataplane.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Where a {@link BodyPump} writes a body: a channel that takes HTTP objects (an HTTP/1.1 connection,
 * an upstream stream), or one stream of an HTTP/2 connection served frame by frame.
 */
public interface BodyTarget {

    /** Whether writes can still reach the peer. */
    boolean isActive();

    /** Whether the target takes more now; when not, the pump waits for its last write to go out. */
    boolean isWritable();

    /** Writes one chunk of the body, flushed or left for a later flush. */
    ChannelFuture writeChunk(ByteBuf chunk, boolean flush);

    /** Ends the body, with {@code trailers} when there are any, and flushes. */
    ChannelFuture writeEnd(HttpHeaders trailers);

    static BodyTarget of(Channel channel) {
        return new ChannelTarget(channel);
    }
}
