package io.edgegate.dataplane.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;

/** A body written into a channel whose pipeline takes HTTP content objects. */
record ChannelTarget(Channel channel) implements BodyTarget {

    @Override
    public boolean isActive() {
        return channel.isActive();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public ChannelFuture writeChunk(ByteBuf chunk, boolean flush) {
        DefaultHttpContent content = new DefaultHttpContent(chunk);
        return flush ? channel.writeAndFlush(content) : channel.write(content);
    }

    @Override
    public ChannelFuture writeEnd(HttpHeaders trailers) {
        LastHttpContent last = trailers.isEmpty()
                ? LastHttpContent.EMPTY_LAST_CONTENT
                : new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailers);
        return channel.writeAndFlush(last);
    }
}
