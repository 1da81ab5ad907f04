package io.edgegate.dataplane.upstream;

import io.edgegate.dataplane.http.BodyReceiver;
import io.edgegate.dataplane.http.BodyStream;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The request body as one attempt to send it sees it. It records whether the attempt took
 * any byte or is waiting for one; an attempt that did neither can be repeated on another
 * connection with the same body (a pooled connection the server had just closed). Giving up
 * on an attempt does not discard the body: the client decides whether to retry or discard.
 */
final class AttemptBody implements BodyStream, BodyReceiver {

    private final BodyStream body;
    private boolean consumed;
    private boolean pending;
    private boolean abandoned;
    /** Who the chunk being pulled goes to; this object stands between, so a pull allocates nothing. */
    private BodyReceiver receiver;

    AttemptBody(BodyStream body) {
        this.body = body;
    }

    /** Whether another attempt may send the same body from its start. */
    boolean replayable() {
        return !consumed && !pending;
    }

    @Override
    public void pull(BodyReceiver receiver) {
        if (abandoned) {
            receiver.onError(new IllegalStateException("attempt abandoned"));
            return;
        }
        pending = true;
        this.receiver = receiver;
        body.pull(this);
    }

    @Override
    public void onChunk(ByteBuf chunk) {
        pending = false;
        consumed = true;
        receiver.onChunk(chunk);
    }

    @Override
    public void onEnd(HttpHeaders trailers) {
        pending = false;
        receiver.onEnd(trailers);
    }

    @Override
    public void onError(Throwable cause) {
        pending = false;
        consumed = true;
        receiver.onError(cause);
    }

    @Override
    public void discard() {
        abandoned = true;
    }

    @Override
    public long contentLength() {
        return body.contentLength();
    }

    @Override
    public boolean isReadyNow() {
        return !abandoned && body.isReadyNow();
    }
}
