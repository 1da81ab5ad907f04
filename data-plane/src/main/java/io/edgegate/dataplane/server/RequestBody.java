package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.BodyReceiver;
import io.edgegate.dataplane.http.ChannelBody;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A client's request body on an HTTP/1.1 connection. A client that sent
 * {@code Expect: 100-continue} is told to go on only when the body is first wanted, so a
 * request refused on its head (404, 401, 413) never uploads its body.
 */
final class RequestBody extends ChannelBody {

    private final Channel channel;
    private final Runnable onEnd;
    private boolean expectContinue;

    /** @param onEnd runs when the body has ended or failed ({@link #failed()} tells which) */
    RequestBody(Channel channel, long contentLength, long maxBytes, boolean expectContinue, Runnable onEnd) {
        super(channel, contentLength, maxBytes);
        this.channel = channel;
        this.expectContinue = expectContinue;
        this.onEnd = onEnd;
    }

    @Override
    public void pull(BodyReceiver receiver) {
        if (expectContinue) {
            expectContinue = false;
            channel.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        super.pull(receiver);
    }

    /** Whether the client was never told to send a body it announced: then it is not drained, the connection is closed. */
    boolean continueWithheld() {
        return expectContinue;
    }

    @Override
    protected void ended() {
        onEnd.run();
    }

    @Override
    protected void broke() {
        onEnd.run();
    }
}
