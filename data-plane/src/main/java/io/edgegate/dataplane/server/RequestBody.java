package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.BodyReceiver;
import io.edgegate.dataplane.http.ChannelBody;

/**
 * A client's request body, on an HTTP/1.1 connection or an HTTP/2 stream. A client that sent
 * {@code Expect: 100-continue} is told to go on only when the body is first wanted, so a
 * request refused on its head (404, 401, 413) never uploads its body.
 */
final class RequestBody extends ChannelBody {

    /** The connection or stream the body arrives on. */
    interface Source {

        /** Read more of the body: from the socket, or by opening the stream's flow-control window. */
        void readMore();

        /** Tell the client to send the body it held back for {@code Expect: 100-continue}. */
        void sendContinue();

        /** The consumer took bytes of a body that has ended (an HTTP/2 stream gives their window back). */
        default void taken() {
        }
    }

    private final Source source;
    private final Runnable onEnd;
    private boolean expectContinue;

    /** @param onEnd runs when the body has ended or failed ({@link #failed()} tells which) */
    RequestBody(Source source, long contentLength, long maxBytes, boolean expectContinue, Runnable onEnd) {
        super(contentLength, maxBytes);
        this.source = source;
        this.expectContinue = expectContinue;
        this.onEnd = onEnd;
    }

    @Override
    protected void readMore() {
        source.readMore();
    }

    @Override
    public void pull(BodyReceiver receiver) {
        if (expectContinue) {
            expectContinue = false;
            source.sendContinue();
        }
        super.pull(receiver);
    }

    /** Whether the client was never told to send a body it announced: then it is not drained, the connection is closed. */
    boolean continueWithheld() {
        return expectContinue;
    }

    @Override
    protected void taken() {
        source.taken();
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
