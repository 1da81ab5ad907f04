package io.edgegate.dataplane.http;

/**
 * A message body that arrives in chunks and is read at the consumer's pace: the consumer
 * pulls one chunk at a time and the answer comes on the stream's event loop. This is what
 * carries backpressure end to end: a body is only read from its socket as fast as the other
 * side takes it.
 */
public interface BodyStream {

    /**
     * Asks for the next piece: exactly one call on {@code receiver} follows (a chunk, the end,
     * or an error). Call again only after that answer.
     */
    void pull(BodyReceiver receiver);

    /** The body is not wanted (any more): what is buffered is released and the rest is drained or dropped. */
    void discard();

    /** The length announced in advance, or -1 when unknown (chunked, HTTP/2 without content-length). */
    long contentLength();

    /**
     * Whether the next pull would be answered at once. A writer uses it to gather what is
     * already here into one flush (one syscall) instead of flushing piece by piece.
     */
    default boolean isReadyNow() {
        return false;
    }

    /** A stream that has nothing: its first pull ends it. */
    BodyStream EMPTY = new BodyStream() {
        @Override
        public void pull(BodyReceiver receiver) {
            receiver.onEnd(io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        }

        @Override
        public void discard() {
        }

        @Override
        public long contentLength() {
            return 0;
        }

        @Override
        public boolean isReadyNow() {
            return true;
        }
    };
}
